/* baseline.c - see baseline.h. */
#define _GNU_SOURCE
#include "baseline.h"
#include "arch.h"
#include "ynode.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#define NEEDS_REASON "NEEDS-REASON"

static const char *const top_keys[] = { "runtime", "entries" };
static const char *const entry_keys[] = { "test", "expect", "reason", "link", "when" };
static const char *const when_keys[] = { "version", "os", "arch" };
static const char *const expect_names[] = { "fail", "unsupported", "skip", "flaky" };

const char *baseline_expect_name(enum baseline_expect e)
{
	return expect_names[e];
}

/* Compares dotted numeric versions ("14.0.1" vs "14"); missing parts are 0. */
static int vcmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = ea;
		b = eb;
		while (*a && *a != '.' && !(*a >= '0' && *a <= '9'))
			a++;	/* suffixes such as "-rc1" are ignored */
		while (*b && *b != '.' && !(*b >= '0' && *b <= '9'))
			b++;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && !*b)
			break;
	}
	return 0;
}

static const char *op_of(const char *w, int *op)
{
	/* op: 0 ==, 1 >=, 2 <=, 3 >, 4 < */
	if (!strncmp(w, ">=", 2))
		return *op = 1, w + 2;
	if (!strncmp(w, "<=", 2))
		return *op = 2, w + 2;
	if (!strncmp(w, "==", 2))
		return *op = 0, w + 2;
	if (*w == '>')
		return *op = 3, w + 1;
	if (*w == '<')
		return *op = 4, w + 1;
	if (*w == '=')
		return *op = 0, w + 1;
	return *op = 0, w;
}

bool baseline_range_valid(const char *range)
{
	char *copy = xstrdup(range), *save = NULL;
	bool ok = true, any = false;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		int op;
		const char *v = op_of(w, &op);
		any = true;
		if (!(*v >= '0' && *v <= '9'))
			ok = false;
		for (; *v; v++)
			if (!((*v >= '0' && *v <= '9') || *v == '.'))
				ok = false;
	}
	free(copy);
	return ok && any;
}

bool baseline_version_match(const char *range, const char *version)
{
	if (!version)
		return false;
	char *copy = xstrdup(range), *save = NULL;
	bool ok = true;
	for (char *w = strtok_r(copy, " ", &save); w && ok; w = strtok_r(NULL, " ", &save)) {
		int op;
		const char *v = op_of(w, &op);
		int c = vcmp(version, v);
		ok = op == 0 ? c == 0 : op == 1 ? c >= 0 : op == 2 ? c <= 0 : op == 3 ? c > 0 : c < 0;
	}
	free(copy);
	return ok;
}

static void load_file(struct baseline *b, const char *file, struct diag *d)
{
	struct ydoc doc = { 0 };
	if (ydoc_load(&doc, file, d) < 0)
		return;
	strvec_push(&b->files, file);
	const struct ynode *r = doc.root, *v, *w;
	const char *s, *runtime = NULL;
	if (!r) {
		diag_error(d, file, 1, 1, "empty baseline (expected 'runtime' and 'entries')");
		goto out;
	}
	if (!ynode_expect(r, YN_MAP, file, "a baseline", d))
		goto out;
	ynode_check_keys(r, file, "a baseline", top_keys, N_ELEMS(top_keys), d);
	if (ynode_require(r, "runtime", file, "a baseline", d))
		ynode_str(ynode_get(r, "runtime"), file, "runtime", d, &runtime);
	if (!ynode_require(r, "entries", file, "a baseline", d))
		goto out;
	v = ynode_get(r, "entries");
	if (ynode_is_null(v) || !ynode_expect(v, YN_SEQ, file, "entries", d))
		goto out;
	b->v = xrealloc(b->v, (b->n + v->n + 1) * sizeof *b->v);
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *e = v->kids[i];
		if (!ynode_expect(e, YN_MAP, file, "a baseline entry", d))
			continue;
		ynode_check_keys(e, file, "a baseline entry", entry_keys, N_ELEMS(entry_keys), d);
		struct baseline_entry *be = &b->v[b->n++];
		memset(be, 0, sizeof *be);
		be->runtime = xstrdup(runtime ? runtime : "?");
		be->file = xstrdup(file);
		be->line = e->line;
		be->col = e->col;
		if (ynode_require(e, "test", file, "a baseline entry", d) &&
		    ynode_str(ynode_get(e, "test"), file, "test", d, &s))
			be->test = xstrdup(s);
		if (ynode_require(e, "expect", file, "a baseline entry", d) &&
		    ynode_str((w = ynode_get(e, "expect")), file, "expect", d, &s)) {
			size_t k;
			for (k = 0; k < N_ELEMS(expect_names) && strcmp(s, expect_names[k]); k++)
				;
			if (k == N_ELEMS(expect_names)) {
				const char *near = suggest_closest(s, expect_names, N_ELEMS(expect_names));
				diag_error(d, file, w->line, w->col, "expect must be fail, unsupported, skip or flaky, not '%s'%s%s%s",
					   s, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			} else {
				be->expect = (enum baseline_expect)k;
			}
		}
		if ((w = ynode_get(e, "reason")) && ynode_str(w, file, "reason", d, &s)) {
			if (!*s)
				diag_error(d, file, w->line, w->col, "reason is empty");
			else if (!strncmp(s, NEEDS_REASON, strlen(NEEDS_REASON)))
				diag_add(d, DIAG_WARNING, file, w->line, w->col, 1,
					 "entry for '%s' still needs a reason", be->test ? be->test : "?");
			be->reason = xstrdup(s);
		}
		if ((w = ynode_get(e, "link")) && ynode_str(w, file, "link", d, &s))
			be->link = xstrdup(s);
		if (!be->reason && !be->link)
			diag_error(d, file, e->line, e->col, "a baseline entry needs a 'reason' or an issue 'link'");
		if ((w = ynode_get(e, "when")) && ynode_expect(w, YN_MAP, file, "when", d)) {
			const struct ynode *x;
			ynode_check_keys(w, file, "when", when_keys, N_ELEMS(when_keys), d);
			if ((x = ynode_get(w, "version")) && ynode_str(x, file, "version", d, &s)) {
				if (!baseline_range_valid(s))
					diag_error(d, file, x->line, x->col,
						   "version range '%s' is not like '>=14 <50' (comparators >=, <=, >, <, = and dotted numbers)", s);
				be->version = xstrdup(s);
			}
			if ((x = ynode_get(w, "os")) && ynode_str(x, file, "os", d, &s))
				be->os = xstrdup(s);
			if ((x = ynode_get(w, "arch")) && ynode_str(x, file, "arch", d, &s)) {
				be->arch = xstrdup(s);
				char *why = NULL;
				struct strvec one = STRVEC_INIT;
				if (arch_parse_list(s, &one, &why) < 0 || one.n != 1)
					diag_add(d, DIAG_WARNING, file, x->line, x->col, 1, "arch: %s; this entry applies to "
						 "no runtime wasmatrix runs", why ? why : "one architecture, not a list");
				free(why);
				strvec_release(&one);
			}
		}
	}
out:
	ydoc_release(&doc);
}

int baseline_load(struct baseline *b, const char *path, struct diag *d)
{
	size_t errs = d->errors;
	if (fs_is_dir(path)) {
		struct strvec names = STRVEC_INIT;
		fs_list_dir(path, ".yaml", &names);
		fs_list_dir(path, ".yml", &names);
		for (size_t i = 0; i < names.n; i++) {
			char *f = path_join(path, names.v[i]);
			load_file(b, f, d);
			free(f);
		}
		strvec_release(&names);
	} else if (fs_is_file(path)) {
		load_file(b, path, d);
	} else {
		diag_error(d, path, 0, 0, "no such baseline file or directory");
	}
	return d->errors > errs ? -1 : 0;
}

void baseline_release(struct baseline *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct baseline_entry *e = &b->v[i];
		free(e->runtime);
		free(e->test);
		free(e->reason);
		free(e->link);
		free(e->version);
		free(e->os);
		free(e->arch);
		free(e->file);
	}
	free(b->v);
	strvec_release(&b->files);
	memset(b, 0, sizeof *b);
}

/* The entries indexed for lookups by test id, so that a run, or a rewrite, of N tests
 * against N entries is not N * N fnmatch calls: exact ids (no glob characters) through a
 * hash set and a chain of the entries sharing an id, in file order; globs in file order. */
struct baseline_index {
	const struct baseline *b;
	struct strset exact;	/* test id -> its first entry */
	size_t *next;		/* the next entry with the same id, or NONE */
	size_t *globs, nglobs;
	struct utsname u;
};
#define NONE ((size_t)-1)

static void index_build(struct baseline_index *x, const struct baseline *b)
{
	memset(x, 0, sizeof *x);
	x->b = b;
	uname(&x->u);
	x->next = xcalloc(b->n + 1, sizeof *x->next);
	x->globs = xcalloc(b->n + 1, sizeof *x->globs);
	size_t *last = xcalloc(b->n + 1, sizeof *last);	/* chain tail, per chain head */
	for (size_t i = 0; i < b->n; i++) {
		const char *t = b->v[i].test;
		x->next[i] = NONE;
		if (!t)
			continue;
		if (strpbrk(t, "*?[\\")) {
			x->globs[x->nglobs++] = i;
			continue;
		}
		size_t head;
		if (strset_add(&x->exact, t, strlen(t), i, &head)) {
			last[i] = i;
		} else {
			x->next[last[head]] = i;
			last[head] = i;
		}
	}
	free(last);
}

static void index_release(struct baseline_index *x)
{
	strset_release(&x->exact);
	free(x->next);
	free(x->globs);
}

/* Does entry i apply to (runtime, test_id)? With 'when', its os/arch/version too. */
static bool entry_applies(const struct baseline_index *x, size_t i, const char *runtime, const char *version,
			  const char *arch, const char *test_id, bool when)
{
	const struct baseline_entry *e = &x->b->v[i];
	if (!e->test || strcmp(e->runtime, runtime) || fnmatch(e->test, test_id, 0))
		return false;
	if (!when)
		return true;
	if (e->os && strcasecmp(e->os, x->u.sysname))
		return false;
	/* the runtime's architecture (arch.h): an emulated aarch64 runtime is aarch64 */
	if (e->arch && strcmp(e->arch, arch ? arch : x->u.machine))
		return false;
	return !e->version || baseline_version_match(e->version, version);
}

/* The first entry in file order that applies, or NONE. */
static size_t index_find(const struct baseline_index *x, const char *runtime, const char *version,
			 const char *arch, const char *test_id, bool when)
{
	size_t best = NONE, i;
	if (strset_get(&x->exact, test_id, strlen(test_id), &i))
		for (; i != NONE; i = x->next[i])
			if (entry_applies(x, i, runtime, version, arch, test_id, when)) {
				best = i;
				break;
			}
	for (size_t g = 0; g < x->nglobs && x->globs[g] < best; g++)
		if (entry_applies(x, x->globs[g], runtime, version, arch, test_id, when))
			return x->globs[g];
	return best;
}

static struct baseline_entry *find(struct baseline *b, const struct baseline_index *x, const struct adapter *a,
			     const char *test_id)
{
	/* a baseline is the adapter's on every architecture; when: arch: picks one */
	size_t i = index_find(x, a->base, a->version, a->arch, test_id, true);
	return i == NONE ? NULL : &b->v[i];
}

static char *describe(const struct baseline_entry *e)
{
	return xasprintf("%s:%u: %s%s%s", e->file, e->line, e->reason ? e->reason : "",
			 e->link ? (e->reason ? " " : "") : "", e->link ? e->link : "");
}

void baseline_preskip(struct baseline *b, struct run *run)
{
	free(run->preskip);
	run->preskip = xcalloc(run->ntests * run->nrts + 1, sizeof *run->preskip);
	struct baseline_index x;
	index_build(&x, b);
	for (size_t t = 0; t < run->ntests; t++)
		for (size_t r = 0; r < run->nrts; r++) {
			struct baseline_entry *e = find(b, &x, &run->rts[r], run->tests[t]->id);
			if (e && e->expect == BASELINE_SKIP) {
				char *why = describe(e);
				run->preskip[t * run->nrts + r] = xasprintf("baseline says skip (%s)", why);
				free(why);
				e->used++;
			}
		}
	index_release(&x);
}

void baseline_apply(struct baseline *b, struct run *run)
{
	struct baseline_index x;
	index_build(&x, b);
	for (size_t i = 0; i < run->nresults; i++) {
		struct result *r = &run->results[i];
		const struct adapter *a = &run->rts[r->rt_idx];
		struct baseline_entry *e = find(b, &x, a, run->tests[r->test_idx]->id);
		if (!e || e->expect == BASELINE_SKIP || r->outcome == OUT_SKIP)
			continue;
		e->used++;
		enum outcome o = r->outcome;
		bool wrong = outcome_info(o)->wrong;
		bool matches = (e->expect == BASELINE_FAIL && wrong) ||
			       (e->expect == BASELINE_UNSUPPORTED && o == OUT_UNSUPPORTED) ||
			       (e->expect == BASELINE_FLAKY && (wrong || o == OUT_UNSUPPORTED));
		char *why = describe(e), *old = r->reason;
		if (matches) {
			r->outcome = OUT_XFAIL;
			r->reason = xasprintf("expected %s by the baseline (%s); actual: %s", baseline_expect_name(e->expect), why,
					      old ? old : outcome_name(o));
		} else if (o == OUT_PASS && e->expect != BASELINE_FLAKY) {
			r->outcome = OUT_XPASS;
			r->reason = xasprintf("passes, but the baseline expects %s (%s): remove the entry",
					      baseline_expect_name(e->expect), why);
		} else if (o != OUT_PASS) {
			r->reason = xasprintf("%s (the baseline expects %s: %s)", old ? old : outcome_name(o),
					      baseline_expect_name(e->expect), why);
		} else {
			r->reason = old, old = NULL;
		}
		if (r->reason != old)
			free(old);
		free(why);
	}
	index_release(&x);
}

void baseline_warn_unused(const struct baseline *b, const struct run *run, struct diag *d)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct baseline_entry *e = &b->v[i];
		bool in_run = false;
		for (size_t r = 0; r < run->nrts; r++)
			in_run |= !strcmp(run->rts[r].base, e->runtime) && !run->rts[r].missing;
		if (in_run && !e->used && e->test)
			diag_add(d, DIAG_WARNING, e->file, e->line, e->col, 1,
				 "baseline entry '%s' for %s matches no result in this run (stale?)", e->test, e->runtime);
	}
}

/* One UTF-8 sequence at s (n bytes left): its length and code point, or 0 when the bytes
 * are not valid UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
static size_t u8dec(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t l = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
	if (!l || l > n)
		return 0;
	unsigned v = l == 1 ? c : l == 2 ? c & 0x1f : l == 3 ? c & 0x0f : c & 0x07;
	for (size_t i = 1; i < l; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min[l] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return l;
}

/* A YAML double-quoted scalar that libyaml reads back as the same text: characters YAML
 * does not allow raw (controls, DEL, C1, U+FFFE/U+FFFF) are escaped; bytes that are not
 * UTF-8 (a runtime's raw output) become the visible text \xNN. */
static void yq(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t l = u8dec(s + i, n - i, &cp);
		if (!l) {
			fprintf(f, "\\\\x%02X", s[i]);
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp < 0x20 || cp == 0x7f)
			fprintf(f, "\\x%02x", cp);
		else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe ||
			 cp == 0xffff)	/* C1, YAML's line breaks, BOM, non-characters */
			fprintf(f, "\\u%04x", cp);
		else
			fwrite(s + i, 1, l, f);
		i += l;
	}
	fputc('"', f);
}

/* A test id as a baseline pattern that matches exactly that id (fnmatch: *?[ and \
 * escaped). Caller frees. */
static char *glob_literal(const char *id)
{
	struct buf b = BUF_INIT;
	for (const char *p = id; *p; p++) {
		if (strchr("*?[\\", *p))
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	return buf_detach(&b);
}

/* "NEEDS-REASON: <what failed>", at most about 200 bytes, cut between characters. */
static char *needs_reason(const char *what)
{
	char *r = xasprintf("%s: %s", NEEDS_REASON, what);
	const unsigned char *s = (const unsigned char *)r;
	size_t n = strlen(r);
	if (n <= 200)
		return r;
	size_t cut = 0;
	while (cut < n) {
		unsigned cp;
		size_t l = u8dec(s + cut, n - cut, &cp);
		if (!l)
			l = 1;	/* a stray byte: yq shows it as \xNN */
		if (cut + l > 197)
			break;
		cut += l;
	}
	strcpy(r + cut, "...");
	return r;
}

/* Text for a YAML comment: printable ASCII only. */
static void comment_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', f);
}

bool baseline_runtime_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > 100 || name[0] == '.' || name[0] == '-')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._+-@", *p)))
			return false;
	return true;
}

/* baseline_write() with the old entries indexed and, per observation, the next one of
 * the same runtime (next_rt, NONE at the end of a runtime's list); first_rt marks the
 * first observation of each runtime. */
static int write_files(const struct baseline *old, const struct baseline_index *x, const size_t *next_rt,
		       const bool *first_rt, const struct baseline_obs *obs, size_t n, const char *dir)
{
	/* every name that becomes a file name is checked before anything is written */
	int bad_names = 0;
	for (size_t i = 0; i < n; i++) {
		if (first_rt[i] && !baseline_runtime_name_ok(obs[i].runtime)) {
			fprintf(stderr, "wasmatrix: runtime name '");
			comment_text(stderr, obs[i].runtime);
			fprintf(stderr, "' cannot name a baseline file (letters, digits and . _ + - @, "
					"not starting with . or -, at most 100): nothing written\n");
			bad_names++;
		}
	}
	if (bad_names)
		return -2;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "wasmatrix: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	/* and every file can be written (not a symlink, ...) before the first one is */
	for (size_t i = 0; i < n; i++) {
		if (!first_rt[i])
			continue;
		char *path = xasprintf("%s/%s.yaml", dir, obs[i].runtime), *why = NULL;
		int rc = wfile_check(path, &why);
		if (rc < 0)
			fprintf(stderr, "wasmatrix: %s: nothing written\n", why);
		free(why);
		free(path);
		if (rc < 0)
			return -1;
	}
	int written = 0;
	for (size_t first = 0; first < n; first++) {
		if (!first_rt[first])
			continue;
		const char *rt = obs[first].runtime, *ver = obs[first].version;
		char *path = xasprintf("%s/%s.yaml", dir, rt), *why = NULL;
		struct wfile w;
		if (wfile_open(&w, path, &why) < 0) {
			fprintf(stderr, "wasmatrix: %s\n", why);
			free(why);
			free(path);
			return -1;
		}
		FILE *f = w.f;
		fprintf(f, "# Baseline for %s ", rt);
		comment_text(f, ver ? ver : "");
		fprintf(f, ", refreshed by wasmatrix (--update-baseline).\n"
			   "# Every entry needs a reason or an issue link; replace %s with one.\n", NEEDS_REASON);
		fprintf(f, "runtime: ");
		yq(f, rt);
		fprintf(f, "\nentries:\n");
		size_t cnt = 0;
		for (size_t i = first; i != NONE; i = next_rt[i]) {
			enum outcome o = obs[i].outcome;
			const char *id = obs[i].test;
			/* an old entry for this test (by exact id or glob) keeps its reason */
			size_t k = index_find(x, rt, NULL, NULL, id, false);
			const struct baseline_entry *keep = k == NONE ? NULL : &old->v[k];
			enum baseline_expect ex;
			if (keep && keep->expect == BASELINE_SKIP)
				ex = BASELINE_SKIP;
			else if (o == OUT_XFAIL && keep)
				ex = keep->expect;
			else if (outcome_info(o)->wrong)
				ex = keep && keep->expect == BASELINE_FLAKY ? BASELINE_FLAKY : BASELINE_FAIL;
			else if (o == OUT_UNSUPPORTED)
				ex = BASELINE_UNSUPPORTED;
			else
				continue;	/* passes (or xpass: the entry is stale and dropped) */
			char *pat = glob_literal(id);
			fprintf(f, "  - test: ");
			yq(f, pat);
			free(pat);
			fprintf(f, "\n    expect: %s\n    reason: ", baseline_expect_name(ex));
			if (keep && keep->reason) {
				yq(f, keep->reason);
			} else {
				char *r2 = needs_reason(obs[i].reason && *obs[i].reason ? obs[i].reason : outcome_name(o));
				yq(f, r2);
				free(r2);
			}
			fputc('\n', f);
			if (keep && keep->link) {
				fprintf(f, "    link: ");
				yq(f, keep->link);
				fputc('\n', f);
			}
			if (keep && (keep->version || keep->os || keep->arch)) {
				fprintf(f, "    when:\n");
				if (keep->version)
					fprintf(f, "      version: "), yq(f, keep->version), fputc('\n', f);
				if (keep->os)
					fprintf(f, "      os: "), yq(f, keep->os), fputc('\n', f);
				if (keep->arch)
					fprintf(f, "      arch: "), yq(f, keep->arch), fputc('\n', f);
			}
			cnt++;
		}
		if (!cnt)
			fprintf(f, "  []\n");
		if (wfile_commit(&w, &why) < 0) {
			fprintf(stderr, "wasmatrix: %s\n", why);
			free(why);
			free(path);
			return -1;
		}
		fprintf(stderr, "wasmatrix: wrote %s (%zu entries)\n", path, cnt);
		written++;
		free(path);
	}
	return written;
}

/* Writes one baseline file per runtime from observations (results in test order). */
int baseline_write(const struct baseline *old, const struct baseline_obs *obs, size_t n, const char *dir)
{
	struct baseline none = { 0 };
	struct baseline_index x;
	index_build(&x, old ? old : &none);
	size_t *next_rt = xcalloc(n + 1, sizeof *next_rt);
	bool *first_rt = xcalloc(n + 1, sizeof *first_rt);
	struct strset last = STRSET_INIT;	/* runtime -> its latest observation so far */
	for (size_t i = 0; i < n; i++) {
		size_t prev;
		next_rt[i] = NONE;
		first_rt[i] = strset_add(&last, obs[i].runtime, strlen(obs[i].runtime), i, &prev);
		if (!first_rt[i]) {
			next_rt[prev] = i;
			strset_set(&last, obs[i].runtime, strlen(obs[i].runtime), i);
		}
	}
	int rc = write_files(old, &x, next_rt, first_rt, obs, n, dir);
	strset_release(&last);
	free(first_rt);
	free(next_rt);
	index_release(&x);
	return rc;
}

int baseline_update(const struct baseline *old, const struct run *run, const char *dir)
{
	struct baseline_obs *obs = xcalloc(run->nresults + 1, sizeof *obs);
	size_t n = 0;
	for (size_t i = 0; i < run->nresults; i++) {
		const struct result *r = &run->results[i];
		const struct adapter *a = &run->rts[r->rt_idx];
		if (a->missing)
			continue;
		/* a foreign architecture's runtime shares the adapter's file: its entries need a
		 * when: arch: condition, written by hand (docs/architectures.md) */
		if (a->launch.n)
			continue;
		obs[n++] = (struct baseline_obs){ a->name, a->version, run->tests[r->test_idx]->id, r->reason, r->outcome };
	}
	for (size_t r = 0; r < run->nrts; r++)
		if (run->rts[r].launch.n && !run->rts[r].missing)
			fprintf(stderr, "wasmatrix: --update-baseline: %s left out: it shares %s/%s.yaml; add its own "
				"entries with 'when: {arch: %s}' (docs/architectures.md)\n", run->rts[r].name, dir,
				run->rts[r].base, run->rts[r].arch);
	int rc = baseline_write(old, obs, n, dir);
	free(obs);
	return rc;
}
