package io.notify.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The typed documents of one build, with the look-ups the checks share. */
record Manifest(List<HasMetadata> resources) {

    /**
     * A pod-producing object: Deployment, StatefulSet or Job of the build, or the pods an operator
     * makes from a custom resource of the build ({@code operated}, see {@link Operated}).
     */
    record Workload(HasMetadata owner, String name, PodTemplateSpec template, boolean operated) {
        Workload(HasMetadata owner, PodTemplateSpec template) {
            this(owner, owner.getMetadata().getName(), template, false);
        }

        String id() {
            String kindAndName = owner.getKind() + "/" + owner.getMetadata().getName();
            return operated ? kindAndName + " (pods " + name + ")" : kindAndName;
        }

        PodSpec pod() {
            return template.getSpec();
        }

        Map<String, String> labels() {
            return template.getMetadata() == null || template.getMetadata().getLabels() == null ? Map.of()
                    : template.getMetadata().getLabels();
        }

        Stream<Container> allContainers() {
            return Stream.concat(pod().getInitContainers().stream(), pod().getContainers().stream());
        }

        boolean isJob() {
            return owner instanceof Job;
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
    }

    List<Workload> workloads() {
        List<Workload> w = new ArrayList<>();
        all(Deployment.class).forEach(d -> w.add(new Workload(d, d.getSpec().getTemplate())));
        all(StatefulSet.class).forEach(s -> w.add(new Workload(s, s.getSpec().getTemplate())));
        all(Job.class).forEach(j -> w.add(new Workload(j, j.getSpec().getTemplate())));
        w.addAll(Operated.pods(this));
        return w;
    }

    /** The custom resources of one kind (bound untyped: their schema is the vendored CRD's). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    Optional<GenericKubernetesResource> custom(String kind, String name) {
        return custom(kind).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
    }

    /** A custom resource as a tree, for reading its spec. */
    static JsonNode tree(GenericKubernetesResource r) {
        return Documents.JSON.valueToTree(r);
    }

    Optional<Workload> workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst();
    }

    List<Workload> selected(Map<String, String> selector) {
        return workloads().stream().filter(w -> !selector.isEmpty() && w.labels().entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    List<Workload> selected(LabelSelector selector) {
        return workloads().stream().filter(w -> matches(selector, w.labels())).toList();
    }

    /** Kubernetes label-selector semantics; an empty selector matches everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions() == null
                ? List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A ConfigMap by the name it has in kustomization.yaml, before kustomize appends its content hash. */
    Optional<ConfigMap> generatedConfigMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().matches(Pattern.quote(name) + "(-[a-z0-9]{10})?"))
                .findFirst();
    }

    Optional<ConfigMap> configMap(String name) {
        return find(ConfigMap.class, name);
    }

    Optional<Secret> secret(String name) {
        return find(Secret.class, name);
    }

    /** A Service of the build, or one an operator creates for a custom resource of the build. */
    Optional<Service> service(String name) {
        return find(Service.class, name).or(() -> Operated.services(this).stream()
                .filter(s -> name.equals(s.getMetadata().getName())).findFirst());
    }

    /** The keys a ConfigMap or Secret holds. */
    static java.util.Set<String> keys(HasMetadata source) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        if (source instanceof ConfigMap c) {
            Optional.ofNullable(c.getData()).ifPresent(d -> keys.addAll(d.keySet()));
            Optional.ofNullable(c.getBinaryData()).ifPresent(d -> keys.addAll(d.keySet()));
        } else if (source instanceof Secret s) {
            Optional.ofNullable(s.getData()).ifPresent(d -> keys.addAll(d.keySet()));
            Optional.ofNullable(s.getStringData()).ifPresent(d -> keys.addAll(d.keySet()));
        }
        return keys;
    }
}
