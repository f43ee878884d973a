package io.notify.bench.footprint;

import io.notify.infra.process.ParentWatcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * The floor under the footprint figures, started as a process of its own like a service: a bare Vert.x
 * server on 127.0.0.1 that answers every HTTP request 200 with {@code {}} (so also {@code /q/health/ready}
 * and the services' request paths, whatever the headers) and on a WebSocket answers every text frame with
 * {@code {"type":"pong","ref":"1"}}. No framework, no security, no database: what the same client, the
 * loopback and a JVM cost without any service code.
 *
 * <p>Argument: the port.
 */
public final class FloorServer {

    static final String PONG = "{\"type\":\"pong\",\"ref\":\"1\"}";

    private FloorServer() {
    }

    public static void main(String[] args) {
        ParentWatcher.exitWhenParentDies();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[0])))
                .webSocketHandler(socket -> socket.textMessageHandler(text -> socket.writeTextMessage(PONG)))
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end("{}"))
                .listen()
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
