package io.notify.gateway.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.zip.Deflater;

/**
 * A WebSocket client written on a plain socket, for frames a well-behaved client library will not
 * send: RSV1 (compressed) set although no extension was negotiated, e.g. on a payload that inflates
 * far beyond the gateway's message limit (a decompression bomb).
 */
final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** The handshake response's headers, as one string (lower case). */
    final String handshake;

    private RawWebSocket(Socket socket, String handshake) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /** Upgrades {@code path} with the token in the query, offering permessage-deflate. */
    static RawWebSocket connect(URI base, String path, String token) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(20_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + path + "?token=" + token + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream raw = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = raw.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        String response = head.toString(StandardCharsets.ISO_8859_1);
        if (!response.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + response);
        }
        return new RawWebSocket(socket, response.toLowerCase());
    }

    boolean compressionNegotiated() {
        return handshake.contains("sec-websocket-extensions: permessage-deflate");
    }

    /** {@code text} of {@code inflatedSize} bytes, deflated (RFC 7692: raw deflate, tail removed). */
    static byte[] deflatedText(int inflatedSize) {
        byte[] text = new byte[inflatedSize];
        java.util.Arrays.fill(text, (byte) ' ');
        text[0] = '"';
        text[inflatedSize - 1] = '"';
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(text);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.needsInput()) {
            compressed.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        }
        int n;
        do { // a sync flush ends the message on a byte boundary with the 00 00 ff ff tail
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            compressed.write(buffer, 0, n);
        } while (n == buffer.length);
        deflater.end();
        byte[] bytes = compressed.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 4); // drop 00 00 ff ff
    }

    /** One final text frame with RSV1 (per-message compressed) set, masked as a client must. */
    void sendTextWithRsv1(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | 0x40 | 0x1); // FIN, RSV1, text
        int len = payload.length;
        if (len < 126) {
            frame.write(0x80 | len);
        } else if (len <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(len >>> 8);
            frame.write(len & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) len >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < len; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * What the server did next: {@code "close:<code>"} for its close frame, {@code "text:<start>"}
     * if it answered instead (it read the message), {@code "dropped"} if it cut the connection.
     */
    String awaitCloseOrReply() throws IOException {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return "dropped";
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) Math.min(len, 1 << 20)];
            in.readFully(payload);
            if ((b0 & 0x0F) == 0x8) {
                return "close:" + (payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
            }
            String text = new String(payload, StandardCharsets.UTF_8);
            return "text:" + text.substring(0, Math.min(200, text.length()));
        } catch (java.io.EOFException | java.net.SocketException e) {
            return "dropped";
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed nor answered within 20 s", e);
        }
    }

    /** Whether the server then closed the TCP connection (reads and discards until the end). */
    boolean awaitEnd() throws IOException {
        try {
            while (in.read() >= 0) {
                // whatever else the server wrote before closing
            }
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset by the server
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
