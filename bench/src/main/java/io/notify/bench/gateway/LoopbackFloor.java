package io.notify.bench.gateway;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import io.notify.bench.BenchStack;
import io.notify.bench.ProcessCpu;

/**
 * What one TCP write costs the writing process on this machine's loopback, with no server code at all: the
 * floor under the gateway's "server CPU per delivery". A receiver process accepts {@code --sockets} connections
 * and reads whatever arrives (as the load generators do, over epoll); this process writes one frame-sized
 * message (a 260-byte WebSocket text frame, like the fan-out's) to each socket in turn, one {@code write}
 * system call each, {@code --reps} times, and prints the writing thread's CPU per write, split into user and
 * kernel time. On loopback the kernel runs the receiving side's TCP in the sender's system call, as it does
 * for the gateway.
 *
 * <p>Usage: {@code LoopbackFloor [--sockets 10000] [--reps 30]}; the receiver is this class with {@code receive}.
 */
public final class LoopbackFloor {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("receive")) {
            receive(Integer.parseInt(args[1]));
            return;
        }
        int sockets = 10_000;
        int reps = 30;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sockets" -> sockets = Integer.parseInt(args[i + 1]);
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        Process receiver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LoopbackFloor.class.getName(), "receive", "0")
                .redirectErrorStream(true).start();
        try {
            int port = Integer.parseInt(new String(receiver.getInputStream().readNBytes(6)).trim());
            List<SocketChannel> channels = new ArrayList<>(sockets);
            for (int i = 0; i < sockets; i++) {
                SocketChannel c = SocketChannel.open();
                // round-robin source addresses, as the load generators bind theirs, past the ephemeral-port range
                c.bind(new InetSocketAddress("127.0.0." + (2 + i % 40), 0));
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connect(new InetSocketAddress("127.0.0.1", port));
                channels.add(c);
            }
            ByteBuffer frame = ByteBuffer.allocateDirect(260);
            frame.put((byte) 0x81).put((byte) 126).put((byte) 1).put((byte) 0); // FIN+text, 256-byte payload
            while (frame.hasRemaining()) {
                frame.put((byte) 'x');
            }
            frame.flip();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Path stat = Path.of("/proc/thread-self/stat");
            for (int warm = 0; warm < 5; warm++) {
                writeAll(channels, frame);
            }
            long cpu0 = threads.getCurrentThreadCpuTime();
            long[] times0 = ProcessCpu.times(stat);
            for (int r = 0; r < reps; r++) {
                writeAll(channels, frame);
                Thread.sleep(200); // as between fan-outs: the receivers go back to waiting
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long[] times1 = ProcessCpu.times(stat);
            double writes = (double) reps * sockets;
            long user = times1[0] - times0[0];
            long sys = times1[1] - times0[1];
            System.out.printf(Locale.ROOT, "loopback floor: %d sockets, %d reps: %.2f us of the writing thread's CPU per "
                    + "260-byte write (%.0f%% in the kernel); %s%n", sockets, reps, cpu / 1000.0 / writes,
                    100.0 * sys / Math.max(1, user + sys), BenchStack.machine());
        } finally {
            receiver.destroy();
        }
    }

    private static void writeAll(List<SocketChannel> channels, ByteBuffer frame) throws IOException {
        for (SocketChannel c : channels) {
            ByteBuffer b = frame.duplicate();
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
    }

    /** Accepts and drains connections over one selector (epoll), printing its port first. */
    private static void receive(int port) throws IOException {
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.printf("%-6d", ((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
            while (true) {
                selector.select();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isAcceptable()) {
                        SocketChannel c = server.accept();
                        if (c != null) {
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        sink.clear();
                        if (((SocketChannel) key.channel()).read(sink) < 0) {
                            key.cancel();
                            key.channel().close();
                        }
                    }
                }
            }
        }
    }
}
