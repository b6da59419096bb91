package dev.ringserver.spring.metrics;

import dev.ringserver.spring.server.RingWebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import java.util.List;

/**
 * Binds {@link RingServerMetrics} and, when the server has static locations,
 * {@link RingServerStaticFileMetrics} once the application has started, to the application's
 * {@link RingWebServer} (found through its {@link WebServerApplicationContext}); does nothing when
 * the web server is another one. The web server, not the core server, is what the meters follow, so
 * they keep counting across a stop and a start.
 *
 * <p>Called by the context on the thread that publishes the event.
 */
public class RingServerMetricsBinder implements ApplicationListener<ApplicationStartedEvent> {

    private final MeterRegistry registry;
    private final Iterable<Tag> tags;
    private volatile RingServerMetrics metrics; // held here: the counters reference it weakly

    public RingServerMetricsBinder(MeterRegistry registry) {
        this(registry, List.of());
    }

    /** @param tags tags added to every meter besides {@code backend} */
    public RingServerMetricsBinder(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = registry;
        this.tags = tags;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        RingWebServer webServer = findWebServer(event.getApplicationContext());
        if (webServer != null && metrics == null) {
            RingServerMetrics bound = new RingServerMetrics(webServer::getRingServer, tags);
            bound.bindTo(registry);
            new RingServerStaticFileMetrics(webServer.getStaticFileHandlers(), tags).bindTo(registry);
            metrics = bound;
        }
    }

    private static RingWebServer findWebServer(ApplicationContext context) {
        if (context instanceof WebServerApplicationContext webContext) {
            WebServer webServer = webContext.getWebServer();
            if (webServer instanceof RingWebServer ringWebServer) {
                return ringWebServer;
            }
        }
        return null;
    }
}
