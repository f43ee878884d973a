package io.notify.auth.company;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.notify.auth.ClientErrors;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Tenants. A company is referred to by its slug everywhere outside the database. */
@ApplicationScoped
public class Companies {

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
