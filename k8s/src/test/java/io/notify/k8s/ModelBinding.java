package io.notify.k8s;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Binds every document to the fabric8 Kubernetes model, strictly: the model's classes keep unknown
 * fields in an "additionalProperties" map, which would let a misspelt field pass silently, so the
 * any-setters are switched off and every unknown field is reported with its path. The table of
 * classes doubles as the allowlist of current stable apiVersions. A custom resource binds untyped
 * (GenericKubernetesResource) when a vendored operator CRD (k8s/crds) serves its apiVersion and kind;
 * its fields are checked against that CRD's schema by SchemaValidation.
 */
final class ModelBinding {

    static final Map<String, Class<? extends HasMetadata>> ALLOWED = allowed();

    private static Map<String, Class<? extends HasMetadata>> allowed() {
        Map<String, Class<? extends HasMetadata>> m = new LinkedHashMap<>();
        m.put("v1/Namespace", Namespace.class);
        m.put("v1/Service", Service.class);
        m.put("v1/ConfigMap", ConfigMap.class);
        m.put("v1/Secret", Secret.class);
        m.put("v1/ServiceAccount", ServiceAccount.class);
        m.put("v1/PersistentVolumeClaim", PersistentVolumeClaim.class);
        m.put("apps/v1/Deployment", Deployment.class);
        m.put("apps/v1/StatefulSet", StatefulSet.class);
        m.put("batch/v1/Job", Job.class);
        m.put("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
        m.put("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
        m.put("networking.k8s.io/v1/Ingress", Ingress.class);
        m.put("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The typed documents, and what kept any of them from binding. */
    record Result(List<HasMetadata> resources, List<String> violations) {
    }

    private ModelBinding() {
    }

    static Result bind(List<ObjectNode> docs) {
        List<HasMetadata> resources = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (ObjectNode doc : docs) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            Class<? extends HasMetadata> target = ALLOWED.get(type);
            if (target == null && Crds.serves(doc.path("apiVersion").asText(), doc.path("kind").asText())) {
                target = GenericKubernetesResource.class;
            }
            if (target == null) {
                violations.add(Documents.id(doc) + ": apiVersion " + doc.path("apiVersion").asText() + " kind "
                        + doc.path("kind").asText() + " is not on the allowlist of stable APIs " + ALLOWED.keySet()
                        + " nor served by a vendored CRD " + Crds.servedSchemas().keySet());
                continue;
            }
            List<String> unknown = new ArrayList<>();
            try {
                // the any-setter is what holds a custom resource's spec
                resources.add(target == GenericKubernetesResource.class ? Documents.JSON.treeToValue(doc, target)
                        : strictMapper(unknown).treeToValue(doc, target));
            } catch (IOException | IllegalArgumentException e) {
                violations.add(Documents.id(doc) + ": does not bind to " + target.getSimpleName() + ": " + e.getMessage());
            }
            if (target == GenericKubernetesResource.class && doc.get("metadata") != null) {
                // the CRD's schema says only "metadata: object"; the API server checks it as ObjectMeta
                List<String> meta = new ArrayList<>();
                try {
                    strictMapper(meta).treeToValue(doc.get("metadata"), ObjectMeta.class);
                } catch (IOException | IllegalArgumentException e) {
                    violations.add(Documents.id(doc) + ": metadata does not bind to ObjectMeta: " + e.getMessage());
                }
                meta.forEach(field -> unknown.add("metadata." + field));
            }
            unknown.forEach(field -> violations.add(Documents.id(doc) + ": unknown field " + field));
        }
        return new Result(resources, violations);
    }

    private static ObjectMapper strictMapper(List<String> unknown) {
        ObjectMapper mapper = new ObjectMapper();
        mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public Boolean hasAnySetter(Annotated a) {
                return Boolean.FALSE;
            }
        });
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        mapper.addHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                    JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
                unknown.add(path(p.getParsingContext().pathAsPointer().toString()));
                p.skipChildren();
                return true;
            }
        });
        return mapper;
    }

    /** "/spec/template/spec/containers/0/imagePullPolcy" → "spec.template.spec.containers[0].imagePullPolcy". */
    private static String path(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            if (part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
                out.append('[').append(part).append(']');
            } else {
                out.append(out.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return out.toString();
    }
}
