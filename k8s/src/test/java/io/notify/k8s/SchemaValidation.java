package io.notify.k8s;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Validates documents against the Kubernetes OpenAPI JSON schemas with the npm kubernetes-models
 * validators (k8s/schema, installed by {@code npm ci} from its lockfile in the Maven build), and
 * custom resources against the openAPIV3Schema of the vendored CRD that serves them (k8s/crds),
 * unknown fields rejected.
 */
final class SchemaValidation {

    private SchemaValidation() {
    }

    static List<String> validate(List<ObjectNode> docs) {
        return validate(docs, Crds.all());
    }

    static List<String> validate(List<ObjectNode> docs, List<Crds.Vendored> crds) {
        Path schemaDir = Paths.k8s().resolve("schema");
        if (!Files.isDirectory(schemaDir.resolve("node_modules/kubernetes-models"))) {
            throw new IllegalStateException(schemaDir + "/node_modules is missing: the Maven build runs 'npm ci' there "
                    + "(generate-test-resources); run it by hand when starting tests from an IDE");
        }
        try {
            Process node = new ProcessBuilder("node", "validate.cjs").directory(schemaDir.toFile()).start();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(node.getErrorStream()));
            try (OutputStream in = node.getOutputStream()) {
                ObjectNode input = Documents.JSON.createObjectNode();
                input.putArray("crds").addAll(crds.stream().map(Crds.Vendored::crd).toList());
                input.putArray("documents").addAll(docs.stream().map(SchemaValidation::unwrapSecretData).toList());
                Documents.JSON.writeValue(in, input);
            }
            byte[] out = node.getInputStream().readAllBytes();
            if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("schema validation did not run: " + new String(stderr.join()));
            }
            List<String> violations = new ArrayList<>();
            for (JsonNode failed : Documents.JSON.readTree(out)) {
                for (JsonNode error : failed.path("errors")) {
                    violations.add(failed.path("kind").asText() + "/" + failed.path("name").asText() + ": " + error.asText());
                }
            }
            return violations;
        } catch (IOException e) {
            throw new IllegalStateException("node is needed for the schema validation (node 20 or newer)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * kustomize wraps long base64 Secret values over several lines; the API server's decoder
     * ignores those line breaks (Go's base64), the schema's "byte" format does not.
     */
    private static ObjectNode unwrapSecretData(ObjectNode doc) {
        if (!"Secret".equals(doc.path("kind").asText()) || !(doc.get("data") instanceof ObjectNode data)) {
            return doc;
        }
        ObjectNode copy = doc.deepCopy();
        ObjectNode unwrapped = (ObjectNode) copy.get("data");
        data.fields().forEachRemaining(e -> unwrapped.put(e.getKey(), e.getValue().asText().replaceAll("[\\r\\n]", "")));
        return copy;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
