/* featmatrix.c - see featmatrix.h. A probe is a test whose results.json entry has "feature"
 * (a claims key) and "variant" ("default", or "flag" for the copy that runs with the
 * adapter's flag for that feature); docs/features.md says how a cell and its diff are
 * decided. */
#define _GNU_SOURCE
#include "featmatrix.h"

#include <ctype.h>
#include <string.h>

#define MSG_MAX 200

static const struct fdiff_info diffs[FD__COUNT] = {
	[FD_NONE] = { "none", false, "no claim" },
	[FD_AGREE] = { "agree", false, "agrees with the claim" },
	[FD_UNMEASURED] = { "unmeasured", false, "not measured (skip or harness error)" },
	[FD_FLAG_UNTRIED] = { "flag-untried", false, "claimed behind a flag, and the adapter declares none" },
	[FD_CLAIMED_FAILS] = { "claimed-fails", true, "claimed, but fails" },
	[FD_NEEDS_FLAG] = { "needs-flag", true, "claimed on by default, but needs a flag" },
	[FD_FLAG_BUT_DEFAULT] = { "flag-but-default", true, "claimed behind a flag, but on by default" },
	[FD_FALSE_BUT_WORKS] = { "false-but-works", true, "claimed unsupported, but works" },
	[FD_UNCLAIMED_WORKS] = { "unclaimed-works", true, "no claim (null or none), but works" },
	[FD_NEWER_WORKS] = { "newer-works", true, "claimed since a newer version than installed, but works" },
	[FD_NEWER_FAILS] = { "newer-fails", true, "claimed since a newer version than installed, and fails" },
};

static const char *const cell_names[FC__COUNT] = { "none", "default", "flag", "refused", "wrong result", "crash",
	"timeout", "error", "skip" };

const struct fdiff_info *fdiff_info(enum fdiff d)
{
	return &diffs[d < FD__COUNT ? d : FD_NONE];
}

const char *fcell_name(enum fcell c)
{
	return cell_names[c < FC__COUNT ? c : FC_NONE];
}

bool fcell_works(enum fcell c)
{
	return c == FC_DEFAULT || c == FC_FLAG;
}

/* ---- versions ---- */

/* Past words before the first digit ("v1.2", "wasmtime 49.0.3"); NULL when none. */
static const char *ver_start(const char *s)
{
	while (*s && !isdigit((unsigned char)*s))
		s++;
	return *s ? s : NULL;
}

/* The next numeric component at *p (0 when none is left), past its '.'. */
static unsigned long long ver_next(const char **p)
{
	unsigned long long v = 0;
	const char *s = *p;
	while (isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s++ - '0');
		v = v > (~0ULL - d) / 10 ? ~0ULL : v * 10 + d;
	}
	if (*s == '.' && isdigit((unsigned char)s[1]))
		s++;
	*p = s;
	return v;
}

/* A pre-release ("-rc1", "-beta") after the numbers: sorts before the release. */
static bool ver_pre(const char *s)
{
	while (isdigit((unsigned char)*s) || *s == '.')
		s++;
	return *s == '-' && isalpha((unsigned char)s[1]);
}

bool features_vercmp(const char *a, const char *b, int *cmp)
{
	const char *x = a ? ver_start(a) : NULL, *y = b ? ver_start(b) : NULL;
	if (!x || !y)
		return false;
	bool px = ver_pre(x), py = ver_pre(y);
	*cmp = 0;
	while (!*cmp && (isdigit((unsigned char)*x) || isdigit((unsigned char)*y))) {
		unsigned long long u = ver_next(&x), v = ver_next(&y);
		*cmp = u < v ? -1 : u > v;
	}
	if (!*cmp && px != py)
		*cmp = px ? -1 : 1;
	return true;
}

/* ---- the cells ---- */

static bool variant_flag(const json_t *test)
{
	const char *v = results_str(test, "variant");
	return v && !strcmp(v, "flag");
}

/* How bad a default result is, for the worst one (higher is worse). */
static int severity(enum fcell c)
{
	static const int rank[FC__COUNT] = { [FC_SKIP] = 1, [FC_ERROR] = 2, [FC_REFUSED] = 3, [FC_WRONG] = 4,
		[FC_TIMEOUT] = 5, [FC_CRASH] = 6 };
	return rank[c];
}

static enum fcell cell_of(enum outcome o)
{
	switch (o) {
	case OUT_PASS: case OUT_XPASS: return FC_DEFAULT;
	case OUT_UNSUPPORTED: return FC_REFUSED;
	case OUT_FAIL: case OUT_XFAIL: return FC_WRONG;
	case OUT_CRASH: return FC_CRASH;
	case OUT_TIMEOUT: return FC_TIMEOUT;
	case OUT_ERROR: return FC_ERROR;
	default: return FC_SKIP;
	}
}

/* A refusal in the runtime's own words: its first stderr line; else the reason. */
static char *message(const json_t *res, enum fcell c)
{
	const char *err = results_str(res, "stderr"), *why = results_str(res, "reason");
	char *m = c == FC_REFUSED && err ? text_first_line(err, strlen(err), MSG_MAX) : NULL;
	if (m && *m)
		return m;
	free(m);
	return why ? text_first_line(why, strlen(why), MSG_MAX) : NULL;
}

static void cell_measure(const struct results *rf, const struct fm_feature *ft, size_t r, struct fm_cell *c)
{
	bool dflt_all = true, flag_all = true;
	size_t ndef = 0;
	const json_t *worst = NULL;
	enum fcell wc = FC_NONE;
	for (size_t i = 0; i < ft->ntests; i++) {
		size_t t = ft->tests[i];
		const json_t *res = rf->cells[t * rf->nrts + r];
		enum fcell x = res ? cell_of(results_outcome(res)) : FC_SKIP;
		if (variant_flag(json_array_get(rf->tests, t))) {
			c->nflag++;
			c->nflag_skip += x == FC_SKIP;
			flag_all &= x == FC_DEFAULT;
			continue;
		}
		ndef++;
		dflt_all &= x == FC_DEFAULT;
		if (x != FC_DEFAULT && severity(x) > severity(wc))
			wc = x, worst = res;
	}
	if (ndef && dflt_all)
		c->cell = FC_DEFAULT;
	else if (c->nflag && flag_all)
		c->cell = FC_FLAG;
	else if (ndef) {
		c->cell = wc;
		c->msg = worst ? message(worst, wc) : NULL;
	} else
		c->cell = c->nflag ? FC_SKIP : FC_NONE;
}

/* ---- the claims ---- */

static enum fdiff diff_default_claim(const struct fm_cell *c, const char *installed)
{
	int cmp;
	bool newer = c->claim.kind == CLAIM_VERSION && features_vercmp(c->claim.version, installed, &cmp) && cmp > 0;
	bool works = fcell_works(c->cell);
	if (newer)
		return works ? FD_NEWER_WORKS : FD_NEWER_FAILS;
	return c->cell == FC_DEFAULT ? FD_AGREE : works ? FD_NEEDS_FLAG : FD_CLAIMED_FAILS;
}

static enum fdiff diff_of(const struct fm_cell *c, const char *installed)
{
	bool works = fcell_works(c->cell);
	if (c->cell == FC_NONE || c->cell == FC_SKIP || c->cell == FC_ERROR)
		return FD_UNMEASURED;
	switch (c->claim.kind) {
	case CLAIM_VERSION:
	case CLAIM_YES:
		return diff_default_claim(c, installed);
	case CLAIM_FLAG:
		if (works)
			return c->cell == FC_DEFAULT ? FD_FLAG_BUT_DEFAULT : FD_AGREE;
		return !c->nflag || c->nflag == c->nflag_skip ? FD_FLAG_UNTRIED : FD_CLAIMED_FAILS;
	case CLAIM_NO:
		return works ? FD_FALSE_BUT_WORKS : FD_AGREE;
	default:
		return works ? FD_UNCLAIMED_WORKS : FD_NONE;
	}
}

/* ---- building ---- */

bool featmatrix_any(const struct results *rf)
{
	for (size_t t = 0; t < rf->ntests; t++)
		if (results_str(json_array_get(rf->tests, t), "feature"))
			return true;
	return false;
}

/* The features in order of their first probe, each with its tests. */
static void collect_features(struct featmatrix *fm, const struct results *rf)
{
	for (size_t t = 0; t < rf->ntests; t++) {
		const char *k = results_str(json_array_get(rf->tests, t), "feature");
		if (!k || !*k)
			continue;
		size_t f = 0;
		while (f < fm->nfs && strcmp(fm->fs[f].key, k))
			f++;
		if (f == fm->nfs) {
			fm->fs = xrealloc(fm->fs, (fm->nfs + 1) * sizeof *fm->fs);
			memset(&fm->fs[fm->nfs++], 0, sizeof *fm->fs);
			fm->fs[f].key = k;
		}
		struct fm_feature *ft = &fm->fs[f];
		ft->tests = xrealloc(ft->tests, (ft->ntests + 1) * sizeof *ft->tests);
		ft->tests[ft->ntests++] = t;
	}
}

static void collect_runtimes(struct featmatrix *fm, const struct results *rf)
{
	fm->rts = xcalloc(rf->nrts ? rf->nrts : 1, sizeof *fm->rts);
	for (size_t r = 0; r < rf->nrts; r++) {
		const char *name = results_str_or_empty(json_array_get(rf->runtimes, r), "name");
		if (!results_rt_available(rf, r)) {
			strvec_push(&fm->missing, name);
			continue;
		}
		struct fm_runtime *x = &fm->rts[fm->nrts++];
		x->r = r;
		x->name = name;
		x->version = results_rt_version(rf, r);
		x->platform = fm->has_claims ? claims_platform(&fm->claims, name) : NULL;
	}
}

static void fill_cells(struct featmatrix *fm, const struct results *rf)
{
	for (size_t f = 0; f < fm->nfs; f++) {
		struct fm_feature *ft = &fm->fs[f];
		ft->title = fm->has_claims ? claims_feature_title(&fm->claims, ft->key) : NULL;
		ft->cells = xcalloc(fm->nrts ? fm->nrts : 1, sizeof *ft->cells);
		for (size_t k = 0; k < fm->nrts; k++) {
			struct fm_cell *c = &ft->cells[k];
			cell_measure(rf, ft, fm->rts[k].r, c);
			if (!fm->rts[k].platform) {
				c->claim.kind = CLAIM_ABSENT;
				c->diff = FD_NONE;
				continue;
			}
			c->claim = claims_get(&fm->claims, fm->rts[k].platform, ft->key);
			c->diff = diff_of(c, fm->rts[k].version);
			fm->counts[c->diff]++;
			fm->ndisagree += fdiff_info(c->diff)->disagrees;
		}
	}
}

int featmatrix_build(struct featmatrix *fm, const struct results *rf, const char *claims_path, struct diag *d)
{
	memset(fm, 0, sizeof *fm);
	fm->results_path = rf->path;
	fm->run_id = results_str_or_empty(json_object_get(rf->doc, "run"), "id");
	if (claims_path) {
		if (claims_load(&fm->claims, claims_path, d) < 0)
			return -1;
		fm->has_claims = true;
	}
	collect_features(fm, rf);
	collect_runtimes(fm, rf);
	fill_cells(fm, rf);
	return 0;
}

void featmatrix_release(struct featmatrix *fm)
{
	for (size_t f = 0; f < fm->nfs; f++) {
		for (size_t k = 0; fm->fs[f].cells && k < fm->nrts; k++)
			free(fm->fs[f].cells[k].msg);
		free(fm->fs[f].cells);
		free(fm->fs[f].tests);
	}
	free(fm->fs);
	free(fm->rts);
	strvec_release(&fm->missing);
	claims_release(&fm->claims);
	memset(fm, 0, sizeof *fm);
}

const char *featmatrix_cell_text(const struct featmatrix *fm, size_t f, size_t r)
{
	enum fcell c = fm->fs[f].cells[r].cell;
	if (c == FC_DEFAULT)
		return *fm->rts[r].version ? fm->rts[r].version : "yes";
	return c == FC_NONE ? "–" : fcell_name(c);
}

void featmatrix_diff_line(const struct featmatrix *fm, size_t f, size_t r, struct buf *b)
{
	const struct fm_cell *c = &fm->fs[f].cells[r];
	const struct fm_runtime *rt = &fm->rts[r];
	buf_addf(b, "%s: %s on %s %s (%s): claim %s", fdiff_info(c->diff)->label, fm->fs[f].key, rt->name,
		 *rt->version ? rt->version : "(no version)", rt->platform ? rt->platform : "-", claims_text(&c->claim));
	if (c->claim.note)
		buf_addf(b, " (\"%s\")", c->claim.note);
	buf_addf(b, ", measured %s", fcell_name(c->cell));
	if (c->msg && *c->msg)
		buf_addf(b, ": %s", c->msg);
}

void featmatrix_cell_label(const struct featmatrix *fm, size_t f, size_t r, struct buf *b)
{
	const struct fm_cell *c = &fm->fs[f].cells[r];
	buf_adds(b, featmatrix_cell_text(fm, f, r));
	if (fdiff_info(c->diff)->disagrees)
		buf_addf(b, " ≠ %s", claims_text(&c->claim));
}
