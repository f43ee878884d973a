package io.notify.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The operators' CustomResourceDefinitions vendored under k8s/crds/&lt;operator&gt;-&lt;version&gt;/, each file
 * unchanged below a header that names its source and the git blob id of the original. The custom
 * resources an overlay may use are exactly the kinds these CRDs serve.
 */
final class Crds {

    /** One vendored CRD file: the header's claim and the document. */
    record Vendored(Path file, String header, String claimedBlob, String body, ObjectNode crd) {

        String name() {
            return crd.path("metadata").path("name").asText();
        }
    }

    private static final Pattern BLOB = Pattern.compile("\\(git blob ([0-9a-f]{40})");
    private static volatile List<Vendored> all;

    private Crds() {
    }

    static Path dir() {
        return Paths.k8s().resolve("crds");
    }

    static List<Vendored> all() {
        if (all == null) {
            all = read(dir());
        }
        return all;
    }

    static List<Vendored> read(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Vendored> out = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(vendored(file));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Vendored vendored(Path file) throws IOException {
        String text = Files.readString(file);
        int body = 0;
        while (text.startsWith("#", body)) {
            body = text.indexOf('\n', body) + 1;
        }
        Matcher blob = BLOB.matcher(text.substring(0, body));
        List<ObjectNode> docs = Documents.parse(text);
        if (docs.size() != 1 || !"CustomResourceDefinition".equals(docs.get(0).path("kind").asText())) {
            throw new IllegalStateException(file + " must hold exactly one CustomResourceDefinition");
        }
        return new Vendored(file, text.substring(0, body), blob.find() ? blob.group(1) : null, text.substring(body), docs.get(0));
    }

    /** "group/version/Kind" → the openAPIV3Schema of every served version. */
    static Map<String, JsonNode> servedSchemas() {
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        for (Vendored v : all()) {
            JsonNode spec = v.crd().path("spec");
            for (JsonNode version : spec.path("versions")) {
                if (version.path("served").asBoolean()) {
                    schemas.put(spec.path("group").asText() + "/" + version.path("name").asText() + "/" + spec.path("names").path("kind").asText(),
                            version.path("schema").path("openAPIV3Schema"));
                }
            }
        }
        return schemas;
    }

    /** Whether a vendored CRD serves this apiVersion and kind. */
    static boolean serves(String apiVersion, String kind) {
        return servedSchemas().containsKey(apiVersion + "/" + kind);
    }

    /** Files whose body is not the original they name: git's blob id is sha1("blob &lt;length&gt;\0" + content). */
    static List<String> provenance(List<Vendored> vendored) {
        List<String> v = new ArrayList<>();
        for (Vendored c : vendored) {
            String where = c.file().getParent().getFileName() + "/" + c.file().getFileName();
            String dirName = c.file().getParent().getFileName().toString();
            String version = dirName.substring(dirName.lastIndexOf('-') + 1);
            String header = c.header();
            if (!header.contains(" " + version + " ") && !header.contains(" " + version + ",")) {
                v.add(where + ": the header does not name the version " + version + " of its folder");
            }
            if (c.claimedBlob() == null) {
                v.add(where + ": the header names no source blob ('(git blob <id>')");
            } else if (!c.claimedBlob().equals(gitBlobId(c.body()))) {
                v.add(where + ": the content is not git blob " + c.claimedBlob() + " (changed after vendoring?)");
            }
        }
        return v;
    }

    static String gitBlobId(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
