/* results_write.c - see results_write.h. */
#define _GNU_SOURCE
#include "results_write.h"
#include "agree.h"
#include "net.h"
#include "fixture.h"

#include <openssl/evp.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* Length of a valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t l;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		l = 2, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		l = 3, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		l = 4, min = 0x10000;
	else
		return 0;
	if (l > n)
		return 0;
	unsigned cp = c & (0x7f >> l);
	for (size_t i = 1; i < l; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return l;
}

json_t *results_bytes(const char *s, size_t n)
{
	if (!s)
		return json_null();
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_len(u + i, n - i);
		if (!l)
			break;
		i += l;
	}
	if (i == n)
		return json_stringn(s, n);
	struct buf b = BUF_INIT;
	for (i = 0; i < n;) {
		size_t l = utf8_len(u + i, n - i);
		if (l) {
			buf_add(&b, s + i, l);
			i += l;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	json_t *j = json_stringn(b.data, b.len);
	buf_release(&b);
	return j;
}

static json_t *str_or_null(const char *s)
{
	return s ? results_bytes(s, strlen(s)) : json_null();
}

static json_t *strvec_json(const struct strvec *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, str_or_null(v->v[i]));
	return a;
}

static json_t *matcher_json(const struct matcher *m)
{
	if (m->kind == MATCH_ANY)
		return json_null();
	return json_pack("{s:s, s:o, s:b}", "kind", match_kind_name(m->kind), "text",
			 results_bytes(m->text, m->len), "normalize_newlines", m->normalize_newlines);
}

/* --- the test definition digest (docs/results-format.md, "definition"): sha256 over
 * everything that decides a test's verdict, by content, not by where the files are, so
 * that merge can tell two runs of one definition (shards on any machine, any checkout
 * directory) from runs of different ones. Left out: name and id (the same by
 * construction), description, tags, and the suite file and line. */
struct def_cache {
	struct strset paths;	/* module file or fixture directory -> index in digests */
	struct strvec digests;
};

/* The content digest of a module (sha256) or of a fixture tree (fixture_digest), once per path. */
static const char *def_content(struct def_cache *dc, const char *path, bool tree)
{
	size_t k;
	if (strset_get(&dc->paths, path, strlen(path), &k))
		return dc->digests.v[k];
	char hex[65], *d = NULL;
	if (tree)
		d = fixture_digest(path);
	else if (net_sha256_file(path, hex) == 0)
		d = xstrdup(hex);
	strvec_push_nodup(&dc->digests, d ? d : xstrdup("unreadable"));
	strset_add(&dc->paths, path, strlen(path), dc->digests.n - 1, NULL);
	return dc->digests.v[dc->digests.n - 1];
}

/* Unambiguous fields: a tag, then for bytes their length (8 bytes) and the bytes. */
static void def_bytes(EVP_MD_CTX *c, const void *p, size_t n)
{
	unsigned char len[9] = { 'B' };
	for (int i = 0; i < 8; i++)
		len[1 + i] = (unsigned char)((unsigned long long)n >> (8 * i));
	EVP_DigestUpdate(c, len, sizeof len);
	if (n)
		EVP_DigestUpdate(c, p, n);
}

static void def_str(EVP_MD_CTX *c, const char *s)
{
	if (s)
		def_bytes(c, s, strlen(s));
	else
		EVP_DigestUpdate(c, "N", 1);
}

static void def_num(EVP_MD_CTX *c, double v)
{
	char b[64];
	snprintf(b, sizeof b, "%.17g", v);
	def_str(c, b);
}

static void def_list(EVP_MD_CTX *c, const struct strvec *v)
{
	def_num(c, (double)v->n);
	for (size_t i = 0; i < v->n; i++)
		def_str(c, v->v[i]);
}

static void def_matcher(EVP_MD_CTX *c, const struct matcher *m)
{
	def_str(c, match_kind_name(m->kind));
	def_bytes(c, m->text ? m->text : "", m->text ? m->len : 0);
	def_num(c, m->normalize_newlines);
}

static json_t *def_digest(const struct test *t, struct def_cache *dc)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c)
		return json_null();
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	def_str(c, "wasmatrix test definition 1");
	def_str(c, t->module ? def_content(dc, t->module, false) : NULL);
	def_list(c, &t->args);
	def_num(c, (double)t->nenv);
	for (size_t k = 0; k < t->nenv; k++) {
		def_str(c, t->env[k].key);
		def_str(c, t->env[k].value);
	}
	def_bytes(c, t->stdin_data ? t->stdin_data : "", t->stdin_data ? t->stdin_len : 0);
	def_num(c, (double)t->ndirs);
	for (size_t k = 0; k < t->ndirs; k++) {
		def_str(c, t->dirs[k].guest);
		def_str(c, t->dirs[k].host ? def_content(dc, t->dirs[k].host, true) : NULL);
	}
	def_num(c, t->timeout);
	def_list(c, &t->requires);
	def_list(c, &t->links);
	def_str(c, t->skip);
	if (t->feature) {	/* only then: the digests of tests without a feature stay as they were */
		def_str(c, t->feature);
		def_num(c, t->flag_variant);
	}
	const struct expect *e = &t->expect;
	def_num(c, (double)e->nexit);
	for (size_t k = 0; k < e->nexit; k++)
		def_num(c, e->exit[k]);
	def_num(c, e->trap);
	def_num(c, e->refused);
	def_matcher(c, &e->out);
	def_matcher(c, &e->err);
	def_num(c, (double)e->nfiles);
	for (size_t k = 0; k < e->nfiles; k++) {
		def_str(c, e->files[k].path);
		def_num(c, e->files[k].exists);
		def_matcher(c, &e->files[k].content);
	}
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	EVP_DigestFinal_ex(c, d, &dl);
	EVP_MD_CTX_free(c);
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned k = 0; k < dl; k++)
		snprintf(hex + 2 * k, 3, "%02x", d[k]);
	return json_string(hex);
}

static json_t *test_json(const struct run *run, size_t i, struct def_cache *dc)
{
	const struct test *t = run->tests[i];
	json_t *env = json_object(), *dirs = json_array(), *exits = json_array(), *files = json_array();
	for (size_t k = 0; k < t->nenv; k++)
		json_object_set_new(env, t->env[k].key, str_or_null(t->env[k].value));
	for (size_t k = 0; k < t->ndirs; k++)
		json_array_append_new(dirs, json_pack("{s:o, s:s}", "host", str_or_null(t->dirs[k].host),
						      "guest", t->dirs[k].guest));
	for (size_t k = 0; k < t->expect.nexit; k++)
		json_array_append_new(exits, json_integer(t->expect.exit[k]));
	for (size_t k = 0; k < t->expect.nfiles; k++) {
		const struct file_check *f = &t->expect.files[k];
		json_array_append_new(files, json_pack("{s:s, s:o, s:o}", "path", f->path ? f->path : "",
						       "exists", f->exists < 0 ? json_null() : json_boolean(f->exists),
						       "content", matcher_json(&f->content)));
	}
	json_t *expect = json_pack("{s:o, s:b, s:b, s:o, s:o, s:o}", "exit", exits, "trap", t->expect.trap,
				   "refused", t->expect.refused,
				   "stdout", matcher_json(&t->expect.out), "stderr",
				   matcher_json(&t->expect.err), "files", files);
	json_t *j = json_object();
	json_object_set_new(j, "id", str_or_null(t->id));
	json_object_set_new(j, "suite", str_or_null(run->suites[run->test_suite[i]].name));
	json_object_set_new(j, "name", str_or_null(t->name));
	json_object_set_new(j, "description", str_or_null(t->description));
	json_object_set_new(j, "file", str_or_null(t->file));
	json_object_set_new(j, "line", json_integer(t->line));
	json_object_set_new(j, "module", str_or_null(t->module));
	json_object_set_new(j, "wasi", json_string(t->wasi ? t->wasi : "wasm32-wasip1"));
	json_object_set_new(j, "args", strvec_json(&t->args));
	json_object_set_new(j, "env", env);
	json_object_set_new(j, "stdin_bytes", json_integer((json_int_t)t->stdin_len));
	json_object_set_new(j, "dirs", dirs);
	json_object_set_new(j, "timeout", t->timeout > 0 ? json_real(t->timeout) : json_null());
	json_object_set_new(j, "tags", strvec_json(&t->tags));
	json_object_set_new(j, "requires", strvec_json(&t->requires));
	json_object_set_new(j, "links", strvec_json(&t->links));
	json_object_set_new(j, "skip", str_or_null(t->skip));
	if (t->feature) {	/* docs/results-format.md: both or neither */
		json_object_set_new(j, "feature", json_string(t->feature));
		json_object_set_new(j, "variant", json_string(t->flag_variant ? "flag" : "default"));
	}
	if (t->spec)
		json_object_set_new(j, "spec", json_string(t->spec));
	json_object_set_new(j, "expect", expect);
	json_object_set_new(j, "definition", def_digest(t, dc));
	return j;
}

static json_t *result_json(const struct run *run, const struct result *r)
{
	const struct test *t = run->tests[r->test_idx];
	const struct adapter *a = &run->rts[r->rt_idx];
	const struct known_div *k = adapter_known(a, t->id);
	json_t *j = json_object();
	json_object_set_new(j, "test", str_or_null(t->id));
	json_object_set_new(j, "runtime", str_or_null(a->name));
	json_object_set_new(j, "outcome", json_string(outcome_name(r->outcome)));
	json_object_set_new(j, "reason", str_or_null(r->reason));
	json_object_set_new(j, "rule", str_or_null(r->rule));
	json_object_set_new(j, "diff", str_or_null(r->diff));
	json_object_set_new(j, "command", str_or_null(r->command));
	json_object_set_new(j, "ran", json_boolean(r->ran));
	json_object_set_new(j, "exit_code", r->exit_code >= 0 ? json_integer(r->exit_code) : json_null());
	json_object_set_new(j, "signal", r->signal ? json_integer(r->signal) : json_null());
	json_object_set_new(j, "trapped", json_boolean(r->trapped));
	json_object_set_new(j, "stdout", r->out ? results_bytes(r->out, r->outn) : json_null());
	json_object_set_new(j, "stderr", r->err ? results_bytes(r->err, r->errn) : json_null());
	json_object_set_new(j, "stdout_bytes", json_integer((json_int_t)r->out_total));
	json_object_set_new(j, "stderr_bytes", json_integer((json_int_t)r->err_total));
	json_object_set_new(j, "stdout_truncated", json_boolean(r->out_trunc));
	json_object_set_new(j, "stderr_truncated", json_boolean(r->err_trunc));
	json_object_set_new(j, "files_digest", str_or_null(r->files_digest));
	json_object_set_new(j, "duration", json_real(r->duration));
	json_object_set_new(j, "known", k ? json_pack("{s:o, s:o}", "reason", str_or_null(k->reason),
						      "link", str_or_null(k->link)) : json_null());
	json_object_set_new(j, "kept", str_or_null(r->kept));
	json_object_set_new(j, "strays", json_integer(r->strays));
	json_object_set_new(j, "compile_cache", json_string(compile_cache_name(r->cache)));
	json_object_set_new(j, "cold_timeout", r->cold_timeout > 0 ? json_real(r->cold_timeout) : json_null());
	json_object_set_new(j, "launch", json_string(r->warm ? "warm" : "fresh"));
	json_object_set_new(j, "launch_note", str_or_null(r->launch_note));
	return j;
}

static char *iso_time(double epoch)
{
	time_t t = (time_t)epoch;
	struct tm tm;
	char b[64];
	gmtime_r(&t, &tm);
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(b);
}

json_t *results_build(const struct run *run, const struct results_meta *m)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "schema", json_string(RESULTS_SCHEMA));
	json_object_set_new(doc, "version", json_integer(RESULTS_VERSION));
	json_object_set_new(doc, "tool", json_pack("{s:s, s:s}", "name", "wasmatrix", "version", m->tool_version));
	json_t *argv = json_array();
	for (int i = 0; i < m->argc; i++)
		json_array_append_new(argv, str_or_null(m->argv[i]));
	char *started = iso_time(run->started);
	json_object_set_new(doc, "run", json_pack("{s:o, s:s, s:f, s:o, s:i, s:f}", "id", str_or_null(run->id),
						  "started", started, "duration", run->duration, "argv", argv,
						  "jobs", m->jobs, "timeout", m->timeout));
	free(started);
	json_object_set_new(json_object_get(doc, "run"), "shard",
			    run->shard_count ? json_pack("{s:i, s:i}", "index", run->shard_index, "count", run->shard_count)
					     : json_null());
	/* a stopped run: the results hold what finished, not every (test, runtime) */
	json_t *inc = json_null();
	if (run->stopped) {
		const char *ab = run->stopped > 0 ? sigabbrev_np(run->stopped) : NULL;
		char *sig = ab ? xasprintf("SIG%s", ab) : NULL;
		inc = json_pack("{s:o, s:I, s:I}", "signal", str_or_null(sig), "results",
				(json_int_t)run->nresults, "planned", (json_int_t)run->planned);
		free(sig);
	}
	json_object_set_new(doc, "incomplete", inc);
	struct utsname u;
	char host[256] = "";
	uname(&u);
	gethostname(host, sizeof host - 1);
	json_object_set_new(doc, "host", json_pack("{s:s, s:s, s:s, s:s, s:I}", "os", u.sysname, "release",
						   u.release, "arch", u.machine, "hostname", host, "cpus",
						   (json_int_t)sysconf(_SC_NPROCESSORS_ONLN)));
	json_t *rts = json_array();
	for (size_t i = 0; i < run->nrts; i++) {
		const struct adapter *a = &run->rts[i];
		json_t *rt = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b, s:o}", "name", a->name,
				       "title", a->title, "version", str_or_null(a->version),
				       "path", str_or_null(a->exe), "adapter", a->file,
				       "available", a->missing == NULL, "missing", str_or_null(a->missing));
		/* runtime@version/arch (docs/architectures.md): emulated ones say how */
		json_object_set_new(rt, "arch", json_string(a->arch));
		if (a->launch.n) {
			json_t *emu = json_array();
			for (size_t k = 0; k < a->launch.n; k++)
				json_array_append_new(emu, json_string(a->launch.v[k]));
			json_object_set_new(rt, "emulator", emu);
			json_object_set_new(rt, "timeout_scale", json_real(a->time_scale));
		}
		json_array_append_new(rts, rt);
	}
	json_object_set_new(doc, "runtimes", rts);
	json_t *suites = json_array();
	size_t *sel = xcalloc(run->nsuites + 1, sizeof *sel);	/* selected tests per suite */
	for (size_t k = 0; k < run->ntests; k++)
		sel[run->test_suite[k]]++;
	for (size_t i = 0; i < run->nsuites; i++) {
		const struct suite *s = &run->suites[i];
		json_array_append_new(suites, json_pack("{s:s, s:s, s:s, s:o, s:I}", "name", s->name, "path", s->path,
							"kind", s->kind, "description", str_or_null(s->description),
							"tests", (json_int_t)sel[i]));
	}
	free(sel);
	json_object_set_new(doc, "suites", suites);
	json_t *tests = json_array();
	struct def_cache dc = { STRSET_INIT, STRVEC_INIT };
	for (size_t i = 0; i < run->ntests; i++)
		json_array_append_new(tests, test_json(run, i, &dc));
	strset_release(&dc.paths);
	strvec_release(&dc.digests);
	json_object_set_new(doc, "tests", tests);
	json_t *results = json_array();
	json_t *summary = json_object();
	for (size_t i = 0; i < run->nrts; i++) {
		json_t *c = json_object();
		for (enum outcome o = OUT_PASS; o < OUT__COUNT; o++)
			json_object_set_new(c, outcome_name(o), json_integer(0));
		json_object_set_new(summary, run->rts[i].name, c);
	}
	for (size_t i = 0; i < run->nresults; i++) {
		const struct result *r = &run->results[i];
		json_array_append_new(results, result_json(run, r));
		json_t *c = json_object_get(json_object_get(summary, run->rts[r->rt_idx].name), outcome_name(r->outcome));
		json_integer_set(c, json_integer_value(c) + 1);
	}
	json_object_set_new(doc, "results", results);
	json_object_set_new(doc, "summary", summary);
	json_object_set_new(doc, "agreement", agree_compute(doc));
	return doc;
}

#define SHARE_MIN 32	/* bytes: shorter words stay where they are */

/* The words of a command: split at single spaces, so joining them back with spaces
 * gives the command again whatever its quoting. Calls fn for each. */
static void words(const char *s, void (*fn)(const char *w, size_t n, void *ctx), void *ctx)
{
	for (const char *p = s;; ) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		fn(p, n, ctx);
		if (!e)
			break;
		p = e + 1;
	}
}

struct share {
	struct strset count;	/* long word -> how many times it appears */
	struct strset index;	/* shared word -> its index in 'shared' */
	json_t *shared;		/* the table */
	json_t *parts;		/* the command being split */
	struct buf text;	/* its pending text */
	size_t nwords;		/* words of it seen */
	bool any;		/* it holds a shared word */
};

static void count_word(const char *w, size_t n, void *ctx)
{
	struct share *sh = ctx;
	size_t c;
	if (n >= SHARE_MIN && !strset_add(&sh->count, w, n, 1, &c))
		strset_set(&sh->count, w, n, c + 1);
}

static void split_word(const char *w, size_t n, void *ctx)
{
	struct share *sh = ctx;
	size_t c = 0, k;
	if (sh->nwords++)
		buf_addc(&sh->text, ' ');
	if (n < SHARE_MIN || !strset_get(&sh->count, w, n, &c) || c < 2) {
		buf_add(&sh->text, w, n);
		return;
	}
	if (!strset_get(&sh->index, w, n, &k)) {
		k = json_array_size(sh->shared);
		json_array_append_new(sh->shared, json_stringn(w, n));
		strset_add(&sh->index, w, n, k, NULL);
	}
	if (sh->text.len)
		json_array_append_new(sh->parts, json_stringn(sh->text.data, sh->text.len));
	sh->text.len = 0;
	json_array_append_new(sh->parts, json_integer((json_int_t)k));
	sh->any = true;
}

json_t *results_for_file(json_t *doc)
{
	json_t *results = json_object_get(doc, "results");
	if (json_integer_value(json_object_get(doc, "version")) < 2 || !json_is_array(results) ||
	    json_object_get(doc, "shared"))
		return json_incref(doc);
	struct share sh = { .shared = json_array(), .text = BUF_INIT };
	strset_init(&sh.count);
	strset_init(&sh.index);
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *c = json_string_value(json_object_get(r, "command"));
		if (c)
			words(c, count_word, &sh);
	}
	json_t *out_results = json_array();
	json_array_foreach(results, i, r) {
		json_t *cmd = json_object_get(r, "command");
		if (!json_is_string(cmd) || memchr(json_string_value(cmd), '\0', json_string_length(cmd))) {
			json_array_append(out_results, r);
			continue;
		}
		sh.parts = json_array();
		sh.text.len = 0;
		sh.nwords = 0;
		sh.any = false;
		words(json_string_value(cmd), split_word, &sh);
		if (!sh.any) {
			json_decref(sh.parts);
			json_array_append(out_results, r);
			continue;
		}
		if (sh.text.len)
			json_array_append_new(sh.parts, json_stringn(sh.text.data, sh.text.len));
		json_t *c = json_copy(r);
		json_object_set_new(c, "command", sh.parts);
		json_array_append_new(out_results, c);
	}
	buf_release(&sh.text);
	strset_release(&sh.count);
	strset_release(&sh.index);
	/* the same members in the same order, the table just before the results */
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(doc, k, v) {
		if (!strcmp(k, "results")) {
			if (json_array_size(sh.shared))
				json_object_set(out, "shared", sh.shared);
			json_object_set(out, k, out_results);
		} else {
			json_object_set(out, k, v);
		}
	}
	json_decref(sh.shared);
	json_decref(out_results);
	return out;
}

int results_write(json_t *doc, const char *path, char **why)
{
	struct wfile w;
	if (wfile_open(&w, path, why) < 0)
		return -1;
	json_t *file = results_for_file(doc);
	int rc = json_dumpf(file, w.f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int e = errno ? errno : EIO;
	json_decref(file);
	if (rc != 0) {
		wfile_abort(&w);
		*why = xasprintf("cannot write %s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	return wfile_commit(&w, why);
}

int results_write_file(json_t *doc, const char *path)
{
	char *why = NULL;
	int rc = results_write(doc, path, &why);
	int e = errno;
	free(why);
	errno = e;
	return rc;
}
