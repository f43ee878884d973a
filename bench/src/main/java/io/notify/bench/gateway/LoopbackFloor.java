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
import io.notify.bench.CpuProfile;
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
 * <p>With {@code --acks}, the floor under an acknowledged delivery as well: in alternating rounds the receiver
 * either only drains, or answers each frame with a 67-byte masked ack frame (the dashboard's
 * {@code {"type":"ack","ids":["<uuid>"]}}), which a second thread of this process reads over a selector (epoll)
 * the way a server's event loop does. Printed: this process's CPU (all threads) per delivery in both kinds of
 * round, and their ratio — what receiving one small frame per delivery costs with no server code at all, the
 * kernel's share of the gateway's "acks on ÷ off" figure.
 *
 * <p>With {@code --profile FILE}, the measured writes are sampled ({@link CpuProfile}) into {@code FILE}.
 *
 * <p>Usage: {@code LoopbackFloor [--sockets 10000] [--reps 30] [--acks] [--profile FILE]}; the receiver is this class with
 * {@code receive}.
 */
public final class LoopbackFloor {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("receive")) {
            receive(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1);
            return;
        }
        int sockets = 10_000;
        int reps = 30;
        boolean acks = false;
        Path profile = null;
        int writers = 1;
        int receivers = 1;
        int receiverThreads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sockets" -> sockets = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--acks" -> acks = true;
                case "--profile" -> profile = Path.of(args[++i]);
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--receivers" -> receivers = Integer.parseInt(args[++i]);
                case "--receiver-threads" -> receiverThreads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        List<Process> receiving = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int r = 0; r < receivers; r++) {
                Process receiver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-cp", System.getProperty("java.class.path"), LoopbackFloor.class.getName(), "receive",
                        "0", String.valueOf(receiverThreads)).redirectErrorStream(true).start();
                receiving.add(receiver);
                ports.add(Integer.parseInt(new String(receiver.getInputStream().readNBytes(6)).trim()));
            }
            List<SocketChannel> channels = new ArrayList<>(sockets);
            for (int i = 0; i < sockets; i++) {
                SocketChannel c = SocketChannel.open();
                // round-robin source addresses, as the load generators bind theirs, past the ephemeral-port range
                c.bind(new InetSocketAddress("127.0.0." + (2 + i % 40), 0));
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connect(new InetSocketAddress("127.0.0.1", ports.get(i % receivers)));
                channels.add(c);
            }
            ByteBuffer frame = frame('x');
            if (acks) {
                acks(channels, frame, frame('a'), reps);
                return;
            }
            write(channels, frame, reps, writers, receivers, receiverThreads, profile);
        } finally {
            receiving.forEach(Process::destroy);
        }
    }

    /**
     * The measured writes: {@code writers} threads (1, or as many as the gateway's event loops: the fan-out's shape)
     * each write its share of the sockets (socket i to writer i % writers) at the same time, {@code reps} times after
     * five warm-up reps; the receivers are {@code receivers} processes of {@code receiverThreads} threads (1 × 1, or
     * as the load generators: their event loops). What a write costs the kernel depends on that shape: a receiver that
     * sleeps when the frame arrives is woken in the writer's system call. CPU per write: the writing threads' CPU over
     * all writes; with {@code profile}, the measured reps are sampled into it ({@link CpuProfile}).
     */
    private static void write(List<SocketChannel> channels, ByteBuffer frame, int reps, int writers, int receivers,
            int receiverThreads, Path profile) throws Exception {
        List<List<SocketChannel>> shares = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < channels.size(); i++) {
            shares.get(i % writers).add(channels.get(i));
        }
        java.util.concurrent.atomic.AtomicInteger named = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers,
                r -> new Thread(r, WRITER + named.getAndIncrement()));
        java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong user = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong sys = new java.util.concurrent.atomic.AtomicLong();
        CpuProfile profiler = profile == null ? null : CpuProfile.in(profile.getParent());
        try {
            for (int r = -5; r < reps; r++) { // five warm-up reps, not counted
                boolean counted = r >= 0;
                if (r == 0 && profiler != null) {
                    profiler.startHere();
                }
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (List<SocketChannel> share : shares) {
                    done.add(pool.submit(() -> {
                        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                        Path stat = Path.of("/proc/thread-self/stat");
                        long cpu0 = threads.getCurrentThreadCpuTime();
                        long[] times0 = ProcessCpu.times(stat);
                        writeAll(share, frame);
                        if (counted) {
                            long[] times1 = ProcessCpu.times(stat);
                            cpu.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
                            user.addAndGet(times1[0] - times0[0]);
                            sys.addAndGet(times1[1] - times0[1]);
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get();
                }
                Thread.sleep(200); // as between fan-outs: the receivers go back to waiting
            }
            if (profiler != null) {
                profiler.stopHere(profile);
            }
        } finally {
            pool.shutdownNow();
        }
        double writes = (double) reps * channels.size();
        System.out.printf(Locale.ROOT, "loopback floor%s: %d sockets, %d reps: %.2f us of the writing thread%s CPU per "
                + "260-byte write (%.0f%% in the kernel; %d writing thread%s at once, receivers %d process%s x %d thread%s); "
                + "%s%n", writers > 1 ? ", the fan-out's shape" : "", channels.size(), reps, cpu.get() / 1000.0 / writes,
                writers > 1 ? "s'" : "'s", 100.0 * sys.get() / Math.max(1, user.get() + sys.get()), writers,
                writers > 1 ? "s" : "", receivers, receivers > 1 ? "es" : "", receiverThreads, receiverThreads > 1 ? "s" : "",
                BenchStack.machine());
    }

    /** The writing threads' name prefix: a profile's stacks of the writes are under it. */
    static final String WRITER = "floor-writer-";

    /** A 260-byte text frame whose payload is {@code fill}: 'a' asks the receiver to answer with an ack. */
    private static ByteBuffer frame(char fill) {
        ByteBuffer frame = ByteBuffer.allocateDirect(260);
        frame.put((byte) 0x81).put((byte) 126).put((byte) 1).put((byte) 0); // FIN+text, 256-byte payload
        while (frame.hasRemaining()) {
            frame.put((byte) fill);
        }
        return frame.flip();
    }

    /** The size of the ack frame the receiver answers with: 2 header bytes, a 4-byte mask, 61 bytes of JSON. */
    private static final int ACK_FRAME = 67;

    /**
     * Alternating rounds of {@code reps} fan-outs, plain and acknowledged, three of each; the acks are read by a
     * selector thread of this process. CPU per delivery from /proc/self/stat (every thread of the process).
     */
    private static void acks(List<SocketChannel> channels, ByteBuffer plain, ByteBuffer acked, int reps) throws Exception {
        java.util.concurrent.atomic.AtomicLong ackBytes = new java.util.concurrent.atomic.AtomicLong();
        Selector selector = Selector.open();
        for (SocketChannel c : channels) {
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
        }
        Thread reader = new Thread(() -> {
            ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    selector.select();
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                        SelectionKey key = it.next();
                        it.remove();
                        sink.clear();
                        int n = ((SocketChannel) key.channel()).read(sink);
                        if (n > 0) {
                            ackBytes.addAndGet(n);
                        } else if (n < 0) {
                            key.cancel();
                        }
                    }
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // closed: done
            }
        }, "ack-reader");
        reader.setDaemon(true);
        reader.start();
        Path stat = Path.of("/proc/self/stat");
        int sockets = channels.size();
        for (int warm = 0; warm < 5; warm++) {
            writeAll(channels, plain);
            writeAll(channels, acked);
            awaitAcks(ackBytes, (warm + 1L) * sockets * ACK_FRAME);
        }
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            boolean ack = round % 2 == 1;
            long[] t0 = ProcessCpu.times(stat);
            for (int r = 0; r < reps; r++) {
                long expected = ackBytes.get() + (ack ? (long) sockets * ACK_FRAME : 0);
                writeAll(channels, ack ? acked : plain);
                awaitAcks(ackBytes, expected);
                Thread.sleep(200);
            }
            long[] t1 = ProcessCpu.times(stat);
            double perDelivery = (t1[0] + t1[1] - t0[0] - t0[1]) / ((double) reps * sockets);
            (ack ? on : off).add(perDelivery);
        }
        reader.interrupt();
        selector.close();
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < off.size(); i++) {
            pairs.append(String.format(Locale.ROOT, "%s%.2f / %.2f us = %.2fx", i == 0 ? "" : "; ", on.get(i), off.get(i),
                    on.get(i) / off.get(i)));
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < off.size(); i++) {
            ratios.add(on.get(i) / off.get(i));
        }
        ratios.sort(null);
        System.out.printf(Locale.ROOT, "loopback floor with acks: %d sockets, %d reps a round: process CPU per delivery, "
                + "answered with a %d-byte ack and read over epoll / not answered: %s; median %.2fx; %s%n",
                sockets, reps, ACK_FRAME, pairs, ratios.get(ratios.size() / 2), BenchStack.machine());
    }

    /**
     * Runs the floor with acks in a child JVM (and its receiver in another) and returns its printed line: the
     * gateway bench's {@code --acks compare} puts it beside the gateway's own ratio, measured in the same run.
     */
    static String withAcks(int sockets, int reps) throws Exception {
        return child(sockets, reps, "--acks");
    }

    /**
     * Runs the plain floor (one 260-byte write per socket per rep, nothing read back) in a child JVM and returns its
     * printed line: the gateway bench puts its CPU per write beside the gateway's CPU per delivery, same run.
     */
    static String plain(int sockets, int reps) throws Exception {
        return child(sockets, reps);
    }

    /** The CPU per write in a line {@link #plain} returned, in µs. */
    static double perWrite(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+) us of the writing thread").matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("no CPU per write in: " + line);
        }
        return Double.parseDouble(m.group(1));
    }

    /** {@link #plain} with its writing thread sampled ({@link CpuProfile}) into {@code collapsed}; the figure is not a measured one. */
    static String profiled(int sockets, int reps, Path collapsed) throws Exception {
        return child(sockets, reps, "--profile", collapsed.toString());
    }

    /**
     * The floor in the fan-out's shape ({@link #shaped}): {@code writers} writing threads, {@code receivers} receiving
     * processes of {@code receiverThreads} threads each; returns its printed line.
     */
    static String shaped(int sockets, int reps, int writers, int receivers, int receiverThreads) throws Exception {
        return child(sockets, reps, "--writers", String.valueOf(writers), "--receivers", String.valueOf(receivers),
                "--receiver-threads", String.valueOf(receiverThreads));
    }

    private static String child(int sockets, int reps, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), LoopbackFloor.class.getName(), "--sockets",
                String.valueOf(sockets), "--reps", String.valueOf(reps)));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("LoopbackFloor " + String.join(" ", flags) + " failed: " + out);
        }
        return out.lines().reduce((a, b) -> b).orElse(out);
    }

    /** The median ratio in a line {@link #withAcks} returned. */
    static double medianRatio(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("median (\\d+\\.\\d+)x").matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("no median in: " + line);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void awaitAcks(java.util.concurrent.atomic.AtomicLong ackBytes, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ackBytes.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("acks missing: " + ackBytes.get() + " of " + expected + " bytes");
            }
            Thread.sleep(1);
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

    /**
     * Accepts connections (printing its port first) and deals them round-robin to {@code threads} selector (epoll)
     * threads, which drain them, as a load generator's event loops do.
     */
    private static void receive(int port, int threads) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
            System.out.printf("%-6d", ((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            List<Selector> selectors = new ArrayList<>();
            List<java.util.Queue<SocketChannel>> accepted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Selector selector = Selector.open();
                java.util.Queue<SocketChannel> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
                selectors.add(selector);
                accepted.add(queue);
                Thread reader = new Thread(() -> drain(selector, queue), "receiver-" + t);
                reader.setDaemon(true);
                reader.start();
            }
            for (int n = 0;; n++) {
                SocketChannel c = server.accept();
                c.configureBlocking(false);
                accepted.get(n % threads).add(c);
                selectors.get(n % threads).wakeup();
            }
        }
    }

    /** One receiving thread: registers what the acceptor hands it and reads everything; answers 'a' frames with an ack. */
    private static void drain(Selector selector, java.util.Queue<SocketChannel> accepted) {
        ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer ack = ByteBuffer.allocateDirect(ACK_FRAME);
        ack.put((byte) 0x81).put((byte) (0x80 | (ACK_FRAME - 6))).putInt(0x1234abcd);
        byte[] json = "{\"type\":\"ack\",\"ids\":[\"0a7d6f3e-4b1c-4e52-9a55-1c2f3e4d5a6b\"]}".getBytes();
        for (int i = 0; i < json.length; i++) {
            ack.put((byte) (json[i] ^ (0x1234abcd >>> (24 - 8 * (i % 4)))));
        }
        ack.flip();
        try {
            while (true) {
                selector.select();
                for (SocketChannel c; (c = accepted.poll()) != null;) {
                    c.register(selector, SelectionKey.OP_READ, new long[1]);
                }
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isReadable()) {
                        continue;
                    }
                    sink.clear();
                    SocketChannel c = (SocketChannel) key.channel();
                    int n = c.read(sink);
                    if (n < 0) {
                        key.cancel();
                        c.close();
                    } else if (n > 0) { // answer each 'a' frame completed by this read
                        long[] read = (long[]) key.attachment();
                        long frames = (read[0] + n) / 260 - read[0] / 260;
                        read[0] += n;
                        for (long f = 0; f < frames && sink.get(n - 1) == 'a'; f++) {
                            ByteBuffer b = ack.duplicate();
                            while (b.hasRemaining()) {
                                c.write(b);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the writer went away: done
        }
    }
}
