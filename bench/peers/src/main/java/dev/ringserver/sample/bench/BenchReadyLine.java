package dev.ringserver.sample.bench;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints one line on standard output once the application is ready, which the benchmark scripts wait
 * for:
 *
 * <pre>bench ready: server=NettyWebServer transport=io_uring port=8080 processors=2 java=25.0.3+9-LTS</pre>
 *
 * {@code transport} says what really serves: ringserver's backend (io_uring, epoll, nio), Reactor
 * Netty's event-loop transport as its event-loop threads are named (reactor-http-epoll-1,
 * reactor-http-io_uring-1, reactor-http-nio-1: Reactor Netty names them after the transport it chose),
 * and {@code tomcat} or {@code jetty} for those two (both on Java NIO selectors). The same class runs in
 * every profile: the servers' classes are only reached by reflection.
 */
@Component
public class BenchReadyLine {

    /** Reactor Netty's server threads: prefix "reactor-http", then the transport, then a number. */
    private static final Pattern NETTY_THREAD = Pattern.compile("reactor-http-(?:select-)?(.+)-\\d+");

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        String server = "unknown";
        String transport = "unknown";
        int port = -1;
        if (event.getApplicationContext() instanceof WebServerApplicationContext context) {
            WebServer webServer = context.getWebServer();
            server = webServer.getClass().getSimpleName();
            port = webServer.getPort();
            transport = transport(webServer);
        }
        System.out.println("bench ready: server=" + server + " transport=" + transport + " port=" + port
                + " processors=" + Runtime.getRuntime().availableProcessors() + " java=" + Runtime.version());
        System.out.flush();
    }

    static String transport(WebServer webServer) {
        return switch (webServer.getClass().getSimpleName()) {
            case "RingWebServer" -> ringserverBackend(webServer);
            case "NettyWebServer" -> reactorNettyTransport();
            case "TomcatWebServer" -> "tomcat";
            case "JettyWebServer" -> "jetty";
            default -> "unknown";
        };
    }

    /** The backend the RingServer behind Boot's WebServer runs: RingWebServer.getRingServer().backendName(). */
    private static String ringserverBackend(WebServer webServer) {
        try {
            Object ringServer = webServer.getClass().getMethod("getRingServer").invoke(webServer);
            Object backend = ringServer.getClass().getMethod("backendName").invoke(ringServer);
            return backend != null ? backend.toString() : "ringserver";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "ringserver";
        }
    }

    /**
     * The transports in the names of Reactor Netty's live server threads. Netty starts an event loop's
     * thread when the first channel registers on it; the listening channel is registered by the time
     * the application is ready, so at least one thread is there.
     */
    private static String reactorNettyTransport() {
        Set<String> transports = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            Matcher matcher = NETTY_THREAD.matcher(thread.getName());
            if (matcher.matches()) {
                transports.add(matcher.group(1));
            }
        }
        return transports.isEmpty() ? "netty-unknown" : String.join("+", transports);
    }
}
