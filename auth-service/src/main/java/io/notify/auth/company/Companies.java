package io.notify.auth.company;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.notify.auth.ClientErrors;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/** Tenants. A company is referred to by its slug everywhere outside the database. */
@ApplicationScoped
public class Companies {

    private final Event<CompanyChanged> changed;

    public Companies(Event<CompanyChanged> changed) {
        this.changed = changed;
    }

    @Transactional
    public List<Company> list() {
        return Company.listAll(Sort.by("slug"));
    }

    @Transactional
    public Company create(String slug, String name) {
        if (Company.findBySlug(slug).isPresent()) {
            throw ClientErrors.conflict("Company " + slug + " already exists");
        }
        Company company = new Company();
        company.slug = slug;
        company.name = name;
        company.persist();
        return company;
    }

    /** Sets (null: clears) the company's send quota; empty when there is no such company. */
    @Transactional
    public Optional<Company> setSendQuota(String slug, Integer perMinute) {
        Optional<Company> found = Company.findBySlug(slug);
        found.filter(c -> !java.util.Objects.equals(c.sendQuotaPerMinute, perMinute)).ifPresent(c -> {
            c.sendQuotaPerMinute = perMinute;
            changed.fire(new CompanyChanged(c));
        });
        return found;
    }

    /** The company with this slug; a 400 naming {@code field} when there is none. */
    public Company require(String slug, String field) {
        return Company.findBySlug(slug).orElseThrow(() -> ClientErrors.invalidBodyField(field, "unknown company " + slug));
    }

    public Set<Company> requireAll(Collection<String> slugs, String field) {
        Set<Company> companies = new LinkedHashSet<>();
        slugs.forEach(slug -> companies.add(require(slug, field)));
        return companies;
    }
}
