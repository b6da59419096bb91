package dev.ringserver.spring.actuate;

import dev.ringserver.server.EventLoop;
import dev.ringserver.server.HttpCounter;
import dev.ringserver.server.LoopCounter;
import dev.ringserver.server.RingServer;
import dev.ringserver.spring.autoconfigure.RingBackends;
import dev.ringserver.spring.reactive.RingServerReactiveWebServerFactory;
import dev.ringserver.spring.server.RingWebServer;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code ringserver} actuator endpoint ({@code /actuator/ringserver}): the backend in use and why,
 * every backend's probe result, the kernel release, the event loops with their open connections, and
 * the limits in effect ({@link RingServerDescriptor}).
 *
 * <p>Thread-safe: each read takes the running server afresh and reads its counters without locks.
 */
@Endpoint(id = "ringserver")
public class RingServerEndpoint {

    private final Supplier<RingWebServer> webServer;
    private final Supplier<RingServerReactiveWebServerFactory> factory;

    /**
     * @param webServer the application's ringserver web server, or null when it has another one
     * @param factory   the factory that configured it, or null when not ringserver's
     */
    public RingServerEndpoint(Supplier<RingWebServer> webServer, Supplier<RingServerReactiveWebServerFactory> factory) {
        this.webServer = webServer;
        this.factory = factory;
    }

    /** The web server of {@code context} when it is ringserver's, else null. */
    public static RingWebServer webServerOf(ApplicationContext context) {
        if (context instanceof WebServerApplicationContext webContext
                && webContext.getWebServer() instanceof RingWebServer ringWebServer) {
            return ringWebServer;
        }
        return null;
    }

    @ReadOperation
    public RingServerDescriptor ringserver() {
        RingWebServer web = webServer.get();
        RingServer server = web != null ? web.getRingServer() : null;
        RingServerReactiveWebServerFactory configured = factory.get();
        String configuredBackend = configured != null ? configured.getBackend() : "unknown";
        RingServerDescriptor.Limits limits = null;
        if (configured != null) {
            int eventLoops = server != null ? server.loops().size() : configured.getEventLoops();
            limits = new RingServerDescriptor.Limits(eventLoops, RingServerDescriptor.Http.of(configured.getHttpConfig()),
                    RingServerDescriptor.Io.of(configured.getIoConfig()));
        }
        String os = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        String kernelRelease = System.getProperty("os.version");
        if (server == null) {
            return new RingServerDescriptor("stopped", configuredBackend, configuredBackend, "", "",
                    RingBackends.probeAll(), os, kernelRelease, -1, List.of(), limits);
        }
        return new RingServerDescriptor("running", server.backendName(), configuredBackend,
                server.selectionExplanation(), server.features(), RingBackends.probeAll(), os, kernelRelease,
                server.port(), loops(server), limits);
    }

    private static List<RingServerDescriptor.Loop> loops(RingServer server) {
        List<RingServerDescriptor.Loop> loops = new ArrayList<>();
        for (EventLoop loop : server.loops()) {
            loops.add(new RingServerDescriptor.Loop(loop.index(), loop.counters().get(LoopCounter.ACTIVE),
                    loop.httpCounters().get(HttpCounter.REQUESTS_ACTIVE), loop.counters().get(LoopCounter.ACCEPTED),
                    loop.httpCounters().get(HttpCounter.REQUESTS)));
        }
        return loops;
    }
}
