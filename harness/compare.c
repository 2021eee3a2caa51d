/* compare.c - see compare.h. A regression is a (test, runtime) whose old outcome was
 * not unexpected (pass, xfail, skip) and whose new one is (fail, unsupported, crash,
 * timeout, xpass, error); a fix is the reverse with a new pass or xfail. Any other
 * outcome change is listed as "changed". Tests only in one file are new or removed,
 * not regressions. */
#define _GNU_SOURCE
#include "compare.h"
#include "featmatrix.h"
#include "util.h"

#include <string.h>

static const char *sv(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void add_row(struct compare_section *s, const char *const *v, const char *cls)
{
	s->rows = xrealloc(s->rows, (s->nrows + 1) * sizeof *s->rows);
	struct compare_row *r = &s->rows[s->nrows++];
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < s->ncols; i++)
		r->v[i] = xstrdup(v[i] ? v[i] : "");
	r->cls = cls ? xstrdup(cls) : NULL;
}

/* The cell of (feature key, runtime name) in fm, or NULL when not measured there. */
static const struct fm_cell *fm_find(const struct featmatrix *fm, const char *key, const char *rt)
{
	size_t f = 0, r = 0;
	while (f < fm->nfs && strcmp(fm->fs[f].key, key))
		f++;
	while (r < fm->nrts && strcmp(fm->rts[r].name, rt))
		r++;
	return f < fm->nfs && r < fm->nrts && fm->fs[f].cells[r].cell != FC_NONE ? &fm->fs[f].cells[r] : NULL;
}

/* One row per (feature, runtime) of 'b' whose cell differs in 'a' (b is the new run when
 * !removed; with removed, the cells of the old run that the new one no longer measures). */
static void feature_rows(const struct featmatrix *a, const struct featmatrix *b, bool removed,
			 struct compare_section *sec)
{
	for (size_t f = 0; f < b->nfs; f++)
		for (size_t r = 0; r < b->nrts; r++) {
			const struct fm_cell *y = &b->fs[f].cells[r], *x = fm_find(a, b->fs[f].key, b->rts[r].name);
			if (y->cell == FC_NONE || (removed && x) || (x && x->cell == y->cell))
				continue;
			const struct fm_cell *o = removed ? y : x, *n = removed ? NULL : y;
			bool was = o && fcell_works(o->cell), is = n && fcell_works(n->cell);
			const char *what = was == is ? "changed" : is ? "appeared" : "disappeared";
			char *tr = xasprintf("%s → %s", o ? fcell_name(o->cell) : "(not measured)",
					     n ? fcell_name(n->cell) : "(not measured)");
			const char *v[] = { b->fs[f].key, b->rts[r].name, tr, what };
			add_row(sec, v, was == is ? NULL : is ? "o-pass" : "o-fail");
			free(tr);
		}
}

/* Features that appeared or disappeared (featmatrix.h, measured only: no claims). */
static void compare_features(const struct results *old, const struct results *nw, struct comparison *cmp)
{
	cmp->features = featmatrix_any(old) || featmatrix_any(nw);
	if (!cmp->features)
		return;
	struct featmatrix a, b;
	struct diag d = DIAG_INIT;
	featmatrix_build(&a, old, NULL, &d);	/* without claims it cannot fail */
	featmatrix_build(&b, nw, NULL, &d);
	diag_release(&d);
	feature_rows(&a, &b, false, &cmp->sec[CMP_FEATURES]);
	feature_rows(&b, &a, true, &cmp->sec[CMP_FEATURES]);
	cmp->counts.features = cmp->sec[CMP_FEATURES].nrows;
	featmatrix_release(&a);
	featmatrix_release(&b);
}

void compare_build(const struct results *old, const struct results *nw, struct comparison *cmp)
{
	static const char *const rcols[] = { "runtime", "old", "new" };
	static const char *const ccols[] = { "test", "runtime", "old → new", "reason now" };
	static const char *const tcols[] = { "test", "suite", "outcomes" };
	static const char *const fcols[] = { "feature", "runtime", "old → new", "change" };
	static const char *const titles[] = { "Regressions", "Fixes", "Other changes", "New tests", "Removed tests",
					      "Runtime changes", "Feature changes" };
	memset(cmp, 0, sizeof *cmp);
	for (int s = 0; s < CMP__SECTIONS; s++) {
		cmp->sec[s].title = titles[s];
		cmp->sec[s].cols = s <= CMP_CHANGED ? ccols : s == CMP_RUNTIMES ? rcols : s == CMP_FEATURES ? fcols : tcols;
		cmp->sec[s].ncols = s <= CMP_CHANGED || s == CMP_FEATURES ? 4 : 3;
	}
	cmp->old_path = old->path;
	cmp->new_path = nw->path;
	cmp->old_run = sv(json_object_get(old->doc, "run"), "id");
	cmp->new_run = sv(json_object_get(nw->doc, "run"), "id");
	struct compare_counts *c = &cmp->counts;
	json_t *oldtests = json_object(), *oldrts = json_object(), *newtests = json_object();
	for (size_t t = 0; t < old->ntests; t++)
		json_object_set_new(oldtests, sv(json_array_get(old->tests, t), "id"), json_integer((json_int_t)t));
	for (size_t t = 0; t < nw->ntests; t++)
		json_object_set_new(newtests, sv(json_array_get(nw->tests, t), "id"), json_integer((json_int_t)t));
	for (size_t r = 0; r < old->nrts; r++)
		json_object_set_new(oldrts, sv(json_array_get(old->runtimes, r), "name"), json_integer((json_int_t)r));
	for (size_t i = 0; i < nw->nresults; i++) {
		json_t *x = json_array_get(nw->results, i);
		json_t *ot = json_object_get(oldtests, sv(x, "test")), *orr = json_object_get(oldrts, sv(x, "runtime"));
		if (!ot || !orr)
			continue;
		json_t *y = old->cells[(size_t)json_integer_value(ot) * old->nrts + (size_t)json_integer_value(orr)];
		if (!y)
			continue;
		enum outcome o1 = results_outcome(y), o2 = results_outcome(x);
		if (o1 == o2)
			continue;
		/* a fix: from unexpected to expected, on a test that ran (pass, xfail; not skip) */
		int k = !outcome_unexpected(o1) && outcome_unexpected(o2) ? CMP_REGRESSIONS :
			outcome_unexpected(o1) && !outcome_unexpected(o2) &&
					outcome_info(o2)->agree != OUTCOME_AGREE_NOT_RUN ? CMP_FIXES : CMP_CHANGED;
		char *tr = xasprintf("%s %s → %s %s", outcome_info(o1)->symbol, outcome_name(o1),
				     outcome_info(o2)->symbol, outcome_name(o2));
		char *cls = xasprintf("o-%s", outcome_name(o2));
		const char *v[] = { sv(json_array_get(nw->tests, nw->res_test[i]), "id"), sv(x, "runtime"), tr,
				    sv(x, "reason") };
		add_row(&cmp->sec[k], v, cls);
		free(cls);
		free(tr);
	}
	c->regressions = cmp->sec[CMP_REGRESSIONS].nrows;
	c->fixes = cmp->sec[CMP_FIXES].nrows;
	c->changed = cmp->sec[CMP_CHANGED].nrows;
	/* tests only in one of the files */
	for (int which = 0; which < 2; which++) {
		const struct results *rf = which ? old : nw;
		json_t *other = which ? newtests : oldtests;
		for (size_t t = 0; t < rf->ntests; t++) {
			json_t *x = json_array_get(rf->tests, t);
			if (json_object_get(other, sv(x, "id")))
				continue;
			struct buf ob = BUF_INIT;
			buf_adds(&ob, "");
			for (size_t r = 0; r < rf->nrts; r++) {
				json_t *res = rf->cells[t * rf->nrts + r];
				if (res)
					buf_addf(&ob, "%s%s %s", ob.len ? ", " : "", sv(res, "runtime"), sv(res, "outcome"));
			}
			const char *v[] = { sv(x, "id"), sv(x, "suite"), ob.data };
			add_row(&cmp->sec[which ? CMP_REMOVED : CMP_NEW], v, NULL);
			buf_release(&ob);
		}
	}
	c->new_tests = cmp->sec[CMP_NEW].nrows;
	c->removed_tests = cmp->sec[CMP_REMOVED].nrows;
	/* runtimes: versions changed, added, removed */
	struct compare_section *rs = &cmp->sec[CMP_RUNTIMES];
	for (size_t r = 0; r < nw->nrts; r++) {
		json_t *x = json_array_get(nw->runtimes, r);
		json_t *k = json_object_get(oldrts, sv(x, "name"));
		json_t *y = k ? json_array_get(old->runtimes, (size_t)json_integer_value(k)) : NULL;
		const char *ov = !y ? "(not in old run)" : json_is_true(json_object_get(y, "available")) ? sv(y, "version") : "not found";
		const char *nv = json_is_true(json_object_get(x, "available")) ? sv(x, "version") : "not found";
		if (!strcmp(ov, nv))
			continue;
		const char *v[] = { sv(x, "name"), ov, nv };
		add_row(rs, v, NULL);
	}
	for (size_t r = 0; r < old->nrts; r++) {
		json_t *y = json_array_get(old->runtimes, r);
		bool there = false;
		for (size_t q = 0; q < nw->nrts && !there; q++)
			there = !strcmp(sv(y, "name"), sv(json_array_get(nw->runtimes, q), "name"));
		if (there)
			continue;
		const char *v[] = { sv(y, "name"), json_is_true(json_object_get(y, "available")) ? sv(y, "version") : "not found",
				    "(not in new run)" };
		add_row(rs, v, NULL);
	}
	c->versions = rs->nrows;
	compare_features(old, nw, cmp);
	json_decref(oldtests);
	json_decref(newtests);
	json_decref(oldrts);
}

void compare_release(struct comparison *cmp)
{
	for (int s = 0; s < CMP__SECTIONS; s++) {
		for (size_t i = 0; i < cmp->sec[s].nrows; i++) {
			for (size_t k = 0; k < COMPARE_MAX_COLS; k++)
				free(cmp->sec[s].rows[i].v[k]);
			free(cmp->sec[s].rows[i].cls);
		}
		free(cmp->sec[s].rows);
	}
	memset(cmp, 0, sizeof *cmp);
}

int compare_write(const struct results *old, const struct results *nw, const struct compare_reporter *cr,
		  FILE *f, struct compare_counts *c, char **err)
{
	struct comparison cmp;
	compare_build(old, nw, &cmp);
	*c = cmp.counts;
	int rc = cr->render(&cmp, f, err);
	compare_release(&cmp);
	return rc;
}
