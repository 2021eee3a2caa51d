/* adapter.c - see adapter.h and docs/adapters.md. */
#define _GNU_SOURCE
#include "adapter.h"
#include "arch.h"
#include "exec.h"
#include "match.h"
#include "ynode.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static const char *const top_keys[] = { "name", "title", "find", "install", "version", "command",
	"env_arg", "dir_arg", "args_prefix", "preopens", "set_env", "stdin", "speaks_on", "classify",
	"exit_passthrough_max",
	"lacks", "known", "cache", "versions", "launcher", "features" };
static const char *const launcher_keys[] = { "command", "request" };
static const char *const find_keys[] = { "executables", "env", "requires" };
static const char *const version_keys[] = { "args", "regex" };
static const char *const classify_keys[] = { "crash", "trap", "unsupported" };
static const char *const rule_keys[] = { "exit", "stderr", "stdout" };
static const char *const known_keys[] = { "test", "reason", "link" };
static const char *const cache_keys[] = { "args", "env", "files", "compile" };
static const char *const preopen_modes[] = { "map", "same-path", "cwd" };
static const char *const speaks_modes[] = { "stderr", "stdout", "both" };
static const char *const placeholders[] = { "exe", "module", "adapter_dir", "cwd", "key", "value",
	"host", "guest", "args...", "env...", "dirs...", "cache", "cache...", "proposals", "features..." };
static const char *const wasi_versions[] = { "wasm32-wasip1", "wasm32-wasip2", "wasm32-wasip3" };
static const char *const wasi_worlds[] = { "wasi:cli/command", "wasi:http/service" };
static const char *const version_keys2[] = { "command", "worlds", "proposals" };

struct actx {
	const char *file;
	struct diag *d;
};

/* Checks the placeholders of one template word; 'allowed' limits which may appear. */
static bool check_word(struct actx *c, const struct ynode *w, const char *const *allowed, size_t na)
{
	bool ok = true;
	if (w && w->kind == YN_SCALAR) {
		for (const char *p = w->str; *p; p++) {
			if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
				p++;
				continue;
			}
			if (*p != '{')
				continue;
			const char *e = strchr(p, '}');
			if (!e) {
				diag_error(c->d, c->file, w->line, w->col, "unclosed '{' in template '%s'", w->str);
				ok = false;
				break;
			}
			char *name = xstrndup(p + 1, (size_t)(e - p - 1));
			bool found = false;
			for (size_t j = 0; j < na; j++)
				found |= !strcmp(name, allowed[j]);
			bool known = false;
			for (size_t j = 0; j < N_ELEMS(placeholders); j++)
				known |= !strcmp(name, placeholders[j]);
			if (!found && known) {
				diag_error(c->d, c->file, w->line, w->col,
					   "placeholder '{%s}' cannot be used here%s", name,
					   !strcmp(name, "cache") ? " (a command reaches the cache through {cache...} and "
					   "cache.args, which are left out with --cold)" :
					   !strcmp(name, "proposals") ? " (only in the commands under versions)" : "");
				ok = false;
			} else if (!found) {
				const char *near = suggest_closest(name, placeholders, N_ELEMS(placeholders));
				diag_error(c->d, c->file, w->line, w->col,
					   "unknown placeholder '{%s}' here%s%s%s", name,
					   near ? "; did you mean '{" : "", near ? near : "", near ? "}'?" : "");
				ok = false;
			} else if (strstr(name, "...") && strcmp(w->str, p) != 0) {
				diag_error(c->d, c->file, w->line, w->col,
					   "'{%s}' must be a whole list item on its own", name);
				ok = false;
			}
			free(name);
			p = e;
		}
	}
	return ok;
}

/* Checks the placeholders of a template list. */
static bool check_template(struct actx *c, const struct ynode *n, const char *const *allowed, size_t na)
{
	bool ok = true;
	for (size_t i = 0; n && n->kind == YN_SEQ && i < n->n; i++)
		ok &= check_word(c, n->kids[i], allowed, na);
	return ok;
}

/* A cache file's name: one plain path component of letters, digits and "._-", not
 * starting with a dot (so never ".", "..", or the harness's own ".wasmatrix-*"). */
static bool cache_file_name_ok(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* The cache key (docs/adapters.md "Compile caches"); cmd is the command node, checked
 * for {cache...} against cache.args. */
static void parse_cache(struct actx *c, const struct ynode *v, const struct ynode *cmd, struct adapter *a)
{
	static const char *const args_ph[] = { "cache", "exe", "adapter_dir" };
	static const char *const val_ph[] = { "cache" };
	static const char *const compile_ph[] = { "cache", "cache...", "exe", "module", "adapter_dir", "cwd",
		"features..." };
	const char *file = c->file, *s;
	struct diag *d = c->d;
	const struct ynode *w;
	bool splice = false;
	for (size_t i = 0; cmd && cmd->kind == YN_SEQ && i < cmd->n; i++)
		if (cmd->kids[i]->kind == YN_SCALAR && !strcmp(cmd->kids[i]->str, "{cache...}"))
			splice = true;
	if (!v) {
		if (splice)
			diag_error(d, file, cmd->line, cmd->col,
				   "command has {cache...} but the adapter has no cache key to fill it");
		return;
	}
	if (!ynode_expect(v, YN_MAP, file, "cache", d))
		return;
	ynode_check_keys(v, file, "cache", cache_keys, N_ELEMS(cache_keys), d);
	a->cache.on = true;
	if ((w = ynode_get(v, "args")) && ynode_str_list(w, file, "cache.args", d, &a->cache.args)) {
		check_template(c, w, args_ph, N_ELEMS(args_ph));
		if (a->cache.args.n && !splice)
			diag_error(d, file, w->line, w->col,
				   "cache.args are put where command has {cache...}, and command has none");
	}
	if (splice && !a->cache.args.n)
		diag_error(d, file, cmd->line, cmd->col, "command has {cache...} but cache.args is empty or missing");
	if ((w = ynode_get(v, "env")) && ynode_expect(w, YN_MAP, file, "cache.env", d)) {
		a->cache.env = xcalloc(YMAP_PAIRS(w) + 1, sizeof *a->cache.env);
		for (size_t i = 0; i < YMAP_PAIRS(w); i++)
			if (ynode_env_key(YMAP_KEY(w, i), file, d) &&
			    ynode_str(YMAP_VAL(w, i), file, "cache.env value", d, &s) &&
			    check_word(c, YMAP_VAL(w, i), val_ph, N_ELEMS(val_ph))) {
				a->cache.env[a->cache.nenv].key = xstrdup(YMAP_KEY(w, i)->str);
				a->cache.env[a->cache.nenv++].value = xstrdup(s);
			}
	}
	if ((w = ynode_get(v, "files")) && ynode_expect(w, YN_MAP, file, "cache.files", d)) {
		a->cache.files = xcalloc(YMAP_PAIRS(w) + 1, sizeof *a->cache.files);
		for (size_t i = 0; i < YMAP_PAIRS(w); i++) {
			const struct ynode *k = YMAP_KEY(w, i);
			if (!cache_file_name_ok(k->str)) {
				diag_error(d, file, k->line, k->col,
					   "cache file name '%s' must be one path component of letters, digits, '.', "
					   "'_' and '-', not starting with '.'", k->str);
				continue;
			}
			if (ynode_str(YMAP_VAL(w, i), file, "cache.files content", d, &s) &&
			    check_word(c, YMAP_VAL(w, i), val_ph, N_ELEMS(val_ph))) {
				a->cache.files[a->cache.nfiles].key = xstrdup(k->str);
				a->cache.files[a->cache.nfiles++].value = xstrdup(s);
			}
		}
	}
	if ((w = ynode_get(v, "compile")) && ynode_str_list(w, file, "cache.compile", d, &a->cache.compile)) {
		check_template(c, w, compile_ph, N_ELEMS(compile_ph));
		bool mod = false;
		for (size_t i = 0; i < a->cache.compile.n; i++)
			mod |= strstr(a->cache.compile.v[i], "{module}") != NULL;
		if (!mod)
			diag_error(d, file, w->line, w->col, "cache.compile never mentions {module}");
	}
	if (!a->cache.args.n && !a->cache.nenv)
		diag_error(d, file, v->line, v->col,
			   "cache needs args or env: how the runtime is told where its cache directory is");
}

/* Compiles one classify pattern. It must be anchored where a runtime's own message can be:
 * at a line start (^) or the stream's start (\A), or at the stream's end (\z), where a
 * message printed after the guest's output ends up even when the guest's last line had no
 * newline. It is compiled as (?m)^(?:rest), \A(?:rest) or (?:rest)\z, so an alternation
 * inside cannot escape the anchor, and alone first so an error points into what the user
 * wrote. */
static void *compile_classify(struct actx *c, const struct ynode *pn)
{
	const char *pat = pn->str;
	unsigned col = pn->col + (pn->plain ? 0 : 1);
	char *msg = NULL;
	size_t off = 0;
	void *re = match_regex_compile(pat, &msg, &off);
	if (!re) {
		diag_error(c->d, c->file, pn->line, col + (unsigned)off, "invalid regex: %s at offset %zu", msg, off);
		free(msg);
		return NULL;
	}
	match_regex_free(re);
	size_t len = strlen(pat), bs = 0;
	while (len >= 2 + bs && pat[len - 2 - bs] == '\\')
		bs++;
	bool line = pat[0] == '^', start = pat[0] == '\\' && pat[1] == 'A',
	     end = len >= 2 && pat[len - 1] == 'z' && bs % 2 == 1;
	if (!line && !start && !end) {
		diag_error(c->d, c->file, pn->line, col,
			   "classify patterns must be anchored where the runtime's own message is: begin "
			   "with ^ (a line start) or \\A (the stream's start), or end with \\z (the stream's "
			   "end), not '%s'", pat);
		return NULL;
	}
	char *wrapped = line || start ? xasprintf("(?m)%s(?:%s)", line ? "^" : "\\A", pat + (line ? 1 : 2)) :
		xasprintf("(?m)(?:%.*s)\\z", (int)(len - 2), pat);
	re = match_regex_compile(wrapped, &msg, &off);
	free(wrapped);
	if (!re) {	/* cannot happen for a pattern that compiled alone; say so if it does */
		diag_error(c->d, c->file, pn->line, col, "invalid regex once anchored: %s", msg);
		free(msg);
	} else if (match_regex_search(re, "", 0, NULL) || match_regex_search(re, "\n", 1, NULL)) {
		/* '^', '\z', '^.*': would fire on any output, the guest's included */
		diag_error(c->d, c->file, pn->line, col,
			   "classify pattern '%s' matches empty output: it must name the runtime's own message", pat);
		match_regex_free(re);
		re = NULL;
	}
	return re;
}

static bool parse_rule(struct actx *c, const struct ynode *n, const char *what, struct classify_rule *r,
		       int passthrough_max, enum speaks_on speaks)
{
	if (!ynode_expect(n, YN_MAP, c->file, what, c->d))
		return false;
	bool ok = ynode_check_keys(n, c->file, what, rule_keys, N_ELEMS(rule_keys), c->d);
	const struct ynode *v, *ev = ynode_get(n, "exit");
	const char *streams[] = { "stderr", "stdout" };
	for (int s = 0; s < 2; s++) {
		struct strvec *pats = s ? &r->stdout_pat : &r->stderr_pat;
		void ***res = s ? &r->stdout_re : &r->stderr_re;
		if (!(v = ynode_get(n, streams[s])))
			continue;
		if (!ynode_str_list(v, c->file, streams[s], c->d, pats)) {
			ok = false;
			continue;
		}
		if (speaks != SPEAKS_BOTH && (speaks == SPEAKS_STDOUT) != (s == 1)) {
			diag_error(c->d, c->file, v->line, v->col,
				   "%s.%s: the runtime speaks on %s only (speaks_on), so a guest's %s cannot be "
				   "told from its messages; set speaks_on: both if the runtime prints there too",
				   what, streams[s], s ? "stderr" : "stdout", streams[s]);
			ok = false;
		}
		*res = xcalloc(pats->n + 1, sizeof(void *));
		for (size_t i = 0; i < pats->n; i++)
			if (!((*res)[i] = compile_classify(c, v->kids[i])))
				ok = false;
	}
	if (!ev) {
		diag_error(c->d, c->file, n->line, n->col,
			   "%s needs exit: the exit codes the runtime documents for this failure "
			   "(patterns are only read for those codes)", what);
		return false;
	}
	if (!ynode_expect(ev, YN_SEQ, c->file, "exit (a list)", c->d))
		return false;
	r->exit = xcalloc(ev->n + 1, sizeof(int));
	bool has_pat = r->stderr_pat.n || r->stdout_pat.n;
	for (size_t i = 0; i < ev->n; i++) {
		long x;
		if (!ynode_int(ev->kids[i], c->file, "exit code", 0, 255, c->d, &x)) {
			ok = false;
			continue;
		}
		r->exit[r->nexit++] = (int)x;
		if (x <= passthrough_max && !has_pat) {
			diag_error(c->d, c->file, ev->kids[i]->line, ev->kids[i]->col,
				   "exit code %ld in %s is one a guest can exit with too (exit_passthrough_max "
				   "is %d): add stderr/stdout patterns for the runtime's own message", x, what,
				   passthrough_max);
			ok = false;
		}
	}
	return ok;
}

/* A command template of versions: like command, with {proposals} allowed. */
static bool version_command(struct actx *c, const struct ynode *v, const char *what, struct strvec *out)
{
	static const char *const ph[] = { "exe", "module", "adapter_dir", "cwd", "args...", "env...", "dirs...",
		"proposals", "cache...", "features..." };
	if (!ynode_str_list(v, c->file, what, c->d, out))
		return false;
	bool ok = check_template(c, v, ph, N_ELEMS(ph)), mod = false;
	for (size_t i = 0; i < out->n; i++)
		mod |= strstr(out->v[i], "{module}") != NULL;
	if (!mod) {
		diag_error(c->d, c->file, v->line, v->col, "%s never mentions {module}", what);
		ok = false;
	}
	return ok;
}

static bool one_of(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

/* versions: {<wasi version>: {command, worlds: {<world>: command}, proposals: {<name>: text}}} */
static void parse_versions(struct actx *c, const struct ynode *n, struct adapter *a)
{
	if (!ynode_expect(n, YN_MAP, c->file, "versions", c->d))
		return;
	a->versions = xcalloc(YMAP_PAIRS(n) + 1, sizeof *a->versions);
	for (size_t i = 0; i < YMAP_PAIRS(n); i++) {
		const struct ynode *k = YMAP_KEY(n, i), *v = YMAP_VAL(n, i), *w;
		if (!one_of(k->str, wasi_versions, N_ELEMS(wasi_versions))) {
			const char *near = suggest_closest(k->str, wasi_versions, N_ELEMS(wasi_versions));
			diag_error(c->d, c->file, k->line, k->col, "unknown WASI version '%s'%s%s%s", k->str,
				   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			continue;
		}
		struct adapter_version *av = &a->versions[a->nversions++];
		av->name = xstrdup(k->str);
		if (ynode_is_null(v))
			continue;
		if (!ynode_expect(v, YN_MAP, c->file, "a version (command, worlds, proposals)", c->d))
			continue;
		ynode_check_keys(v, c->file, "a version", version_keys2, N_ELEMS(version_keys2), c->d);
		if ((w = ynode_get(v, "command")))
			version_command(c, w, "command", &av->command);
		if (strcmp(av->name, "wasm32-wasip1") && !av->command.n)
			diag_error(c->d, c->file, k->line, k->col, "version %s needs a command (components do not run "
				   "by the top-level command)", av->name);
		if ((w = ynode_get(v, "worlds")) && ynode_expect(w, YN_MAP, c->file, "worlds", c->d)) {
			av->worlds = xcalloc(YMAP_PAIRS(w) + 1, sizeof *av->worlds);
			av->world_cmds = xcalloc(YMAP_PAIRS(w) + 1, sizeof *av->world_cmds);
			for (size_t j = 0; j < YMAP_PAIRS(w); j++) {
				const struct ynode *wk = YMAP_KEY(w, j);
				if (!one_of(wk->str, wasi_worlds + 1, N_ELEMS(wasi_worlds) - 1)) {
					diag_error(c->d, c->file, wk->line, wk->col, "unknown world '%s' here (wasi:http/service; "
						   "wasi:cli/command is the version's command)", wk->str);
					continue;
				}
				av->worlds[av->nworlds] = xstrdup(wk->str);
				version_command(c, YMAP_VAL(w, j), "a world's command", &av->world_cmds[av->nworlds++]);
			}
		}
		if ((w = ynode_get(v, "proposals")) && ynode_expect(w, YN_MAP, c->file, "proposals", c->d)) {
			av->proposals = xcalloc(YMAP_PAIRS(w) + 1, sizeof *av->proposals);
			for (size_t j = 0; j < YMAP_PAIRS(w); j++) {
				const char *text;
				if (ynode_str(YMAP_VAL(w, j), c->file, "a proposal's text", c->d, &text)) {
					av->proposals[av->nproposals].key = xstrdup(YMAP_KEY(w, j)->str);
					av->proposals[av->nproposals++].value = xstrdup(text);
				}
			}
		}
	}
}

static bool has_word(const struct strvec *v, const char *w)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], w))
			return true;
	return false;
}

/* features: {<claims key>: [words...]} (docs/adapters.md "Feature flags"): the words are put
 * where the command has {features...} for a test's flag variant. */
static void parse_features(struct actx *c, const struct ynode *v, struct adapter *a)
{
	a->has_features_slot = has_word(&a->command, "{features...}");
	for (size_t i = 0; i < a->nversions; i++)
		a->has_features_slot |= has_word(&a->versions[i].command, "{features...}");
	if (!v)
		return;
	if (!ynode_expect(v, YN_MAP, c->file, "features (claims key: [flags])", c->d))
		return;
	a->feature_keys = xcalloc(YMAP_PAIRS(v) + 1, sizeof *a->feature_keys);
	a->feature_args = xcalloc(YMAP_PAIRS(v) + 1, sizeof *a->feature_args);
	for (size_t i = 0; i < YMAP_PAIRS(v); i++) {
		const struct ynode *k = YMAP_KEY(v, i), *w = YMAP_VAL(v, i);
		bool ident = k->str[0] >= 'a' && k->str[0] <= 'z';
		for (const char *q = k->str; *q && ident; q++)
			ident = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9');
		if (!ident) {
			diag_error(c->d, c->file, k->line, k->col,
				   "feature '%s' is not a key of the feature table (features.json: lowerCamelCase "
				   "letters and digits, e.g. simd, relaxedSimd, exceptionsFinal)", k->str);
			continue;
		}
		struct strvec args = STRVEC_INIT;
		if (!ynode_str_list(w, c->file, "a feature's flags", c->d, &args))
			continue;
		if (!args.n) {
			diag_error(c->d, c->file, w->line, w->col,
				   "feature '%s' has no flags: leave it out when the runtime needs none", k->str);
			strvec_release(&args);
			continue;
		}
		a->feature_keys[a->nfeatures] = xstrdup(k->str);
		a->feature_args[a->nfeatures++] = args;
	}
	if (a->nfeatures && !a->has_features_slot)
		diag_error(c->d, c->file, v->line, v->col,
			   "features' flags are put where command has {features...}, and command has none");
}

const struct strvec *adapter_feature_args(const struct adapter *a, const char *feature)
{
	for (size_t i = 0; feature && i < a->nfeatures; i++)
		if (!strcmp(a->feature_keys[i], feature))
			return &a->feature_args[i];
	return NULL;
}

int shell_split(const char *s, struct strvec *out, char **err)
{
	struct buf w = BUF_INIT;
	bool in_word = false;
	*err = NULL;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				strvec_push_nodup(out, buf_detach(&w));
			in_word = false;
			continue;
		}
		if (p[0] == '\\' && p[1] == '\n') {	/* backslash-newline joins lines: nothing */
			p++;
			continue;
		}
		if (!in_word)
			buf_adds(&w, "");
		in_word = true;
		if (*p == '\\') {
			if (!p[1]) {
				*err = xstrdup("it ends in a backslash that escapes nothing");
				break;
			}
			buf_addc(&w, p[1]);
			p++;
		} else if (*p == '\'') {
			const char *e = strchr(p + 1, '\'');
			if (!e) {
				*err = xasprintf("the single quote at character %zu is not closed", (size_t)(p - s) + 1);
				break;
			}
			buf_add(&w, p + 1, (size_t)(e - p - 1));
			p = e;
		} else if (*p == '"') {
			const char *q = p + 1;
			for (; *q && *q != '"'; q++) {
				if (*q == '\\' && q[1] && strchr("$`\"\\\n", q[1])) {
					if (q[1] != '\n')
						buf_addc(&w, q[1]);
					q++;
				} else {
					buf_addc(&w, *q);
				}
			}
			if (!*q) {
				*err = xasprintf("the double quote at character %zu is not closed", (size_t)(p - s) + 1);
				break;
			}
			p = q;
		} else {
			buf_addc(&w, *p);
		}
	}
	if (*err) {
		buf_release(&w);
		return -1;
	}
	if (in_word)
		strvec_push_nodup(out, buf_detach(&w));
	buf_release(&w);
	return 0;
}

int adapter_load(struct adapter *a, const char *file, struct diag *d)
{
	memset(a, 0, sizeof *a);
	size_t errs = d->errors;
	a->file = realpath(file, NULL);
	if (!a->file)
		a->file = xstrdup(file);
	a->dir = path_dirname(a->file);
	a->exit_passthrough_max = 255;
	struct ydoc doc = { 0 };
	struct actx c = { file, d };
	if (ydoc_load(&doc, file, d) < 0)
		return -1;
	const struct ynode *r = doc.root, *v, *w;
	const char *s;
	if (!r) {
		diag_error(d, file, 1, 1, "empty adapter file");
		goto out;
	}
	if (!ynode_expect(r, YN_MAP, file, "an adapter", d))
		goto out;
	ynode_check_keys(r, file, "an adapter", top_keys, N_ELEMS(top_keys), d);
	if ((v = ynode_get(r, "name")) && ynode_str(v, file, "name", d, &s)) {
		a->name = xstrdup(s);
		if (strchr(s, '/'))
			diag_error(d, file, v->line, v->col, "adapter name '%s' contains '/', which is kept for "
				   "\"<runtime>/<arch>\" (docs/architectures.md)", s);
	} else {
		const char *bn = path_basename(file);
		a->name = xstrndup(bn, strcspn(bn, "."));
	}
	a->base = xstrdup(a->name);
	char machine[65];
	arch_host(machine, sizeof machine);
	a->arch = xstrdup(machine);
	a->time_scale = 1;
	a->title = (v = ynode_get(r, "title")) && ynode_str(v, file, "title", d, &s) ? xstrdup(s) : xstrdup(a->name);
	if ((v = ynode_get(r, "install")) && ynode_str(v, file, "install", d, &s))
		a->install = xstrdup(s);
	if (ynode_require(r, "find", file, "an adapter", d) &&
	    ynode_expect((v = ynode_get(r, "find")), YN_MAP, file, "find", d)) {
		ynode_check_keys(v, file, "find", find_keys, N_ELEMS(find_keys), d);
		if (ynode_require(v, "executables", file, "find", d))
			ynode_str_list(ynode_get(v, "executables"), file, "executables", d, &a->exes);
		if ((w = ynode_get(v, "env")) && ynode_str(w, file, "find.env", d, &s))
			a->env_override = xstrdup(s);
		if ((w = ynode_get(v, "requires")))
			ynode_str_list(w, file, "find.requires", d, &a->needs);
	}
	if ((v = ynode_get(r, "version")) && ynode_expect(v, YN_MAP, file, "version", d)) {
		ynode_check_keys(v, file, "version", version_keys, N_ELEMS(version_keys), d);
		if (ynode_require(v, "args", file, "version", d)) {
			ynode_str_list(ynode_get(v, "args"), file, "version.args", d, &a->version_args);
			check_template(&c, ynode_get(v, "args"), placeholders, 3);
		}
		if (ynode_require(v, "regex", file, "version", d) &&
		    ynode_str((w = ynode_get(v, "regex")), file, "version.regex", d, &s)) {
			char *msg = NULL;
			size_t off = 0;
			if (!(a->version_re = match_regex_compile(s, &msg, &off))) {
				diag_error(d, file, w->line, w->col + (w->plain ? 0 : 1) + (unsigned)off,
					   "invalid regex: %s at offset %zu", msg, off);
				free(msg);
			}
		}
	}
	static const char *const cmd_ph[] = { "exe", "module", "adapter_dir", "cwd", "args...", "env...", "dirs...",
		"cache...", "features..." };
	static const char *const env_ph[] = { "key", "value", "exe", "module", "adapter_dir", "cwd" };
	static const char *const dir_ph[] = { "host", "guest", "exe", "module", "adapter_dir", "cwd" };
	if (ynode_require(r, "command", file, "an adapter", d)) {
		v = ynode_get(r, "command");
		if (ynode_str_list(v, file, "command", d, &a->command)) {
			check_template(&c, v, cmd_ph, N_ELEMS(cmd_ph));
			bool mod = false;
			for (size_t i = 0; i < a->command.n; i++)
				mod |= strstr(a->command.v[i], "{module}") != NULL;
			if (!mod)
				diag_error(d, file, v->line, v->col, "command never mentions {module}");
		}
	}
	if ((v = ynode_get(r, "env_arg"))) {
		a->has_env_arg = ynode_str_list(v, file, "env_arg", d, &a->env_arg);
		check_template(&c, v, env_ph, N_ELEMS(env_ph));
	}
	if ((v = ynode_get(r, "dir_arg"))) {
		a->has_dir_arg = ynode_str_list(v, file, "dir_arg", d, &a->dir_arg);
		check_template(&c, v, dir_ph, N_ELEMS(dir_ph));
	}
	if ((v = ynode_get(r, "args_prefix")))
		ynode_str_list(v, file, "args_prefix", d, &a->args_prefix);
	a->preopens = PREOPEN_MAP;
	if ((v = ynode_get(r, "preopens")) && ynode_str(v, file, "preopens", d, &s)) {
		size_t i;
		for (i = 0; i < N_ELEMS(preopen_modes) && strcmp(s, preopen_modes[i]); i++)
			;
		if (i == N_ELEMS(preopen_modes))
			diag_error(d, file, v->line, v->col, "preopens must be map, same-path or cwd, not '%s'", s);
		else
			a->preopens = (enum preopen_mode)i;
	}
	if ((v = ynode_get(r, "stdin")) && ynode_str(v, file, "stdin", d, &s)) {
		if (!strcmp(s, "none"))
			a->stdin_none = true;
		else if (strcmp(s, "pipe"))
			diag_error(d, file, v->line, v->col, "stdin must be pipe or none, not '%s'", s);
	}
	if ((v = ynode_get(r, "set_env")) && ynode_expect(v, YN_MAP, file, "set_env", d)) {
		a->set_env = xcalloc(YMAP_PAIRS(v) + 1, sizeof *a->set_env);
		for (size_t i = 0; i < YMAP_PAIRS(v); i++)
			if (ynode_env_key(YMAP_KEY(v, i), file, d) &&
			    ynode_str(YMAP_VAL(v, i), file, "set_env value", d, &s)) {
				a->set_env[a->nset_env].key = xstrdup(YMAP_KEY(v, i)->str);
				a->set_env[a->nset_env++].value = xstrdup(s);
			}
	}
	long x;
	if ((v = ynode_get(r, "exit_passthrough_max")) &&
	    ynode_int(v, file, "exit_passthrough_max", 0, 255, d, &x))
		a->exit_passthrough_max = (int)x;
	a->speaks_on = SPEAKS_STDERR;
	if ((v = ynode_get(r, "speaks_on")) && ynode_str(v, file, "speaks_on", d, &s)) {
		size_t i;
		for (i = 0; i < N_ELEMS(speaks_modes) && strcmp(s, speaks_modes[i]); i++)
			;
		if (i == N_ELEMS(speaks_modes))
			diag_error(d, file, v->line, v->col, "speaks_on must be stderr, stdout or both, not '%s'", s);
		else
			a->speaks_on = (enum speaks_on)i;
	}
	if ((v = ynode_get(r, "classify")) && ynode_expect(v, YN_MAP, file, "classify", d)) {
		ynode_check_keys(v, file, "classify", classify_keys, N_ELEMS(classify_keys), d);
		if ((w = ynode_get(v, "crash")))
			parse_rule(&c, w, "classify.crash", &a->crash, a->exit_passthrough_max, a->speaks_on);
		if ((w = ynode_get(v, "trap")))
			parse_rule(&c, w, "classify.trap", &a->trap, a->exit_passthrough_max, a->speaks_on);
		if ((w = ynode_get(v, "unsupported")))
			parse_rule(&c, w, "classify.unsupported", &a->unsupported, a->exit_passthrough_max,
				   a->speaks_on);
	}
	if ((v = ynode_get(r, "lacks")))
		ynode_str_list(v, file, "lacks", d, &a->lacks);
	if ((v = ynode_get(r, "known")) && ynode_expect(v, YN_SEQ, file, "known", d)) {
		a->known = xcalloc(v->n + 1, sizeof *a->known);
		for (size_t i = 0; i < v->n; i++) {
			w = v->kids[i];
			if (!ynode_expect(w, YN_MAP, file, "a known divergence", d))
				continue;
			ynode_check_keys(w, file, "a known divergence", known_keys, N_ELEMS(known_keys), d);
			struct known_div *k = &a->known[a->nknown++];
			const struct ynode *x2;
			if (ynode_require(w, "test", file, "a known divergence", d) &&
			    ynode_str(ynode_get(w, "test"), file, "test", d, &s))
				k->test = xstrdup(s);
			if (ynode_require(w, "reason", file, "a known divergence", d) &&
			    ynode_str(ynode_get(w, "reason"), file, "reason", d, &s))
				k->reason = xstrdup(s);
			if ((x2 = ynode_get(w, "link")) && ynode_str(x2, file, "link", d, &s))
				k->link = xstrdup(s);
		}
	}
	parse_cache(&c, ynode_get(r, "cache"), ynode_get(r, "command"), a);
	if ((v = ynode_get(r, "versions")))
		parse_versions(&c, v, a);
	if ((v = ynode_get(r, "launcher")) && ynode_expect(v, YN_MAP, file, "launcher", d)) {
		/* the launcher starts before any run: nothing of a run in its command */
		static const char *const lcmd_ph[] = { "exe", "adapter_dir", "cache...", "features..." };
		static const char *const req_ph[] = { "module", "adapter_dir", "cwd", "args...", "env...", "dirs...",
			"cache..." };
		ynode_check_keys(v, file, "launcher", launcher_keys, N_ELEMS(launcher_keys), d);
		if (ynode_require(v, "command", file, "launcher", d) &&
		    ynode_str_list((w = ynode_get(v, "command")), file, "launcher.command", d, &a->launcher_command)) {
			check_template(&c, w, lcmd_ph, N_ELEMS(lcmd_ph));
			if (!a->launcher_command.n)
				diag_error(d, file, w->line, w->col, "launcher.command is empty");
		}
		if (ynode_require(v, "request", file, "launcher", d) &&
		    ynode_str_list((w = ynode_get(v, "request")), file, "launcher.request", d, &a->launcher_request)) {
			check_template(&c, w, req_ph, N_ELEMS(req_ph));
			bool mod = false;
			for (size_t i = 0; i < a->launcher_request.n; i++)
				mod |= strstr(a->launcher_request.v[i], "{module}") != NULL;
			if (!mod)
				diag_error(d, file, w->line, w->col, "launcher.request never mentions {module}");
		}
	}
	parse_features(&c, ynode_get(r, "features"), a);
out:
	ydoc_release(&doc);
	return d->errors > errs ? -1 : 0;
}

static void rule_release(struct classify_rule *r)
{
	for (size_t i = 0; r->stderr_re && i < r->stderr_pat.n; i++)
		match_regex_free(r->stderr_re[i]);
	for (size_t i = 0; r->stdout_re && i < r->stdout_pat.n; i++)
		match_regex_free(r->stdout_re[i]);
	free(r->stderr_re);
	free(r->stdout_re);
	free(r->exit);
	strvec_release(&r->stderr_pat);
	strvec_release(&r->stdout_pat);
}

void adapter_release(struct adapter *a)
{
	free(a->name);
	free(a->base);
	free(a->arch);
	free(a->arch_dir);
	strvec_release(&a->launch);
	free(a->title);
	free(a->file);
	free(a->dir);
	strvec_release(&a->exes);
	strvec_release(&a->needs);
	free(a->env_override);
	free(a->install);
	strvec_release(&a->version_args);
	if (a->version_re)
		match_regex_free(a->version_re);
	strvec_release(&a->command);
	strvec_release(&a->env_arg);
	strvec_release(&a->dir_arg);
	strvec_release(&a->args_prefix);
	for (size_t i = 0; i < a->nset_env; i++) {
		free(a->set_env[i].key);
		free(a->set_env[i].value);
	}
	free(a->set_env);
	rule_release(&a->crash);
	rule_release(&a->trap);
	rule_release(&a->unsupported);
	strvec_release(&a->lacks);
	for (size_t i = 0; i < a->nknown; i++) {
		free(a->known[i].test);
		free(a->known[i].reason);
		free(a->known[i].link);
	}
	free(a->known);
	strvec_release(&a->cache.args);
	strvec_release(&a->cache.compile);
	strvec_release(&a->launcher_command);
	strvec_release(&a->launcher_request);
	for (size_t i = 0; i < a->cache.nenv; i++) {
		free(a->cache.env[i].key);
		free(a->cache.env[i].value);
	}
	free(a->cache.env);
	for (size_t i = 0; i < a->cache.nfiles; i++) {
		free(a->cache.files[i].key);
		free(a->cache.files[i].value);
	}
	free(a->cache.files);
	for (size_t i = 0; i < a->nversions; i++) {
		struct adapter_version *av = &a->versions[i];
		free(av->name);
		strvec_release(&av->command);
		for (size_t j = 0; j < av->nworlds; j++) {
			free(av->worlds[j]);
			strvec_release(&av->world_cmds[j]);
		}
		free(av->worlds);
		free(av->world_cmds);
		for (size_t j = 0; j < av->nproposals; j++) {
			free(av->proposals[j].key);
			free(av->proposals[j].value);
		}
		free(av->proposals);
	}
	free(a->versions);
	for (size_t i = 0; i < a->nfeatures; i++) {
		free(a->feature_keys[i]);
		strvec_release(&a->feature_args[i]);
	}
	free(a->feature_keys);
	free(a->feature_args);
	strvec_release(&a->exe_args);
	free(a->exe);
	free(a->version);
	free(a->missing);
	memset(a, 0, sizeof *a);
}

static int cmp_adapter(const void *x, const void *y)
{
	return strcmp(((const struct adapter *)x)->name, ((const struct adapter *)y)->name);
}

int adapter_load_dir(struct adapter **out, size_t *n, const char *dir, struct diag *d)
{
	struct strvec names = STRVEC_INIT;
	*out = NULL;
	*n = 0;
	if (fs_list_dir(dir, ".yaml", &names) < 0) {
		diag_error(d, dir, 0, 0, "cannot open the adapters directory");
		return -1;
	}
	int rc = 0;
	*out = xcalloc(names.n + 1, sizeof **out);
	for (size_t i = 0; i < names.n; i++) {
		char *p = path_join(dir, names.v[i]);
		if (adapter_load(&(*out)[*n], p, d) < 0)
			rc = -1;
		(*n)++;
		free(p);
	}
	strvec_release(&names);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_adapter);
	for (size_t i = 0; i + 1 < *n; i++)
		if (!strcmp((*out)[i].name, (*out)[i + 1].name)) {
			diag_error(d, (*out)[i + 1].file, 1, 1, "adapter name '%s' is also used by %s",
				   (*out)[i].name, (*out)[i].file);
			rc = -1;
		}
	return rc;
}

static char *which(const char *name, const char *first_dir)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? realpath(name, NULL) : NULL;
	if (first_dir) {
		char *p = path_join(first_dir, name);
		if (access(p, X_OK) == 0 && fs_is_file(p))
			return p;
		free(p);
	}
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = xstrdup(path), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *p = path_join(*dir ? dir : ".", name);
		if (access(p, X_OK) == 0 && fs_is_file(p)) {
			free(copy);
			return p;
		}
		free(p);
	}
	free(copy);
	return NULL;
}

/* Expands {exe} {module} {adapter_dir} {cwd} {key} {value} {host} {guest}. */
static char *expand(const char *tmpl, const char *const *names, const char *const *vals, size_t n)
{
	struct buf b = BUF_INIT;
	for (const char *p = tmpl; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			buf_addc(&b, *p++);
			continue;
		}
		const char *e;
		if (*p == '{' && (e = strchr(p, '}'))) {
			size_t l = (size_t)(e - p - 1);
			size_t i;
			for (i = 0; i < n; i++)
				if (strlen(names[i]) == l && !strncmp(p + 1, names[i], l))
					break;
			if (i < n) {
				buf_adds(&b, vals[i] ? vals[i] : "");
				p = e;
				continue;
			}
		}
		buf_addc(&b, *p);
	}
	if (!b.data)
		buf_adds(&b, "");
	return buf_detach(&b);
}

void adapter_probe(struct adapter *a, const char *runtimes_dir)
{
	free(a->exe);
	free(a->version);
	free(a->missing);
	a->exe = a->version = a->missing = NULL;
	strvec_release(&a->exe_args);
	/* a foreign architecture's runtime: in its own directory only (arch.h), never the
	 * host's override or PATH, and only with its emulator */
	const char *over = a->env_override && !a->arch_dir ? getenv(a->env_override) : NULL;
	if (a->arch_dir) {
		char *emu = which(a->launch.v[0], NULL);
		if (!emu) {
			a->missing = xasprintf("needs the emulator '%s', which is not on PATH (Debian qemu-user-static: "
					       "scripts/deps.sh)", a->launch.v[0]);
			return;
		}
		free(a->launch.v[0]);	/* exec runs a path: the emulator's, found now */
		a->launch.v[0] = emu;
		if (!fs_is_dir(a->launch.v[2])) {
			a->missing = xasprintf("needs the %s C libraries in %s (Debian libc6-%s-cross: scripts/deps.sh)",
					       a->arch, a->launch.v[2], strcmp(a->arch, "aarch64") ? a->arch : "arm64");
			return;
		}
		for (size_t i = 0; !a->exe && i < a->exes.n; i++) {
			char *p = path_join(a->arch_dir, a->exes.v[i]);
			if (!strchr(a->exes.v[i], '/') && access(p, X_OK) == 0 && fs_is_file(p))
				a->exe = p;
			else
				free(p);
		}
		if (!a->exe) {
			a->missing = xasprintf("not found (looked for %s in %s); the %s builds there are: "
					       "scripts/install-runtimes.sh --list (docs/architectures.md)",
					       a->exes.n ? a->exes.v[0] : "?", a->arch_dir, a->arch);
			return;
		}
	}
	if (over && *over) {
		/* the executable and flags for it, split as a shell would (as upstream's runner:
		 * WASMTIME="wasmtime -W threads=y"); nothing is expanded */
		struct strvec words = STRVEC_INIT;
		char *err = NULL;
		if (shell_split(over, &words, &err) < 0 || !words.n) {
			a->missing = xasprintf("$%s='%s' cannot be split into a command: %s", a->env_override, over,
					       err ? err : "it names no executable");
			free(err);
			strvec_release(&words);
			return;
		}
		a->exe = which(words.v[0], NULL);
		for (size_t i = 1; i < words.n; i++)
			strvec_push(&a->exe_args, words.v[i]);
		if (!a->exe) {
			a->missing = xasprintf("$%s=%s: '%s' is not an executable", a->env_override, over, words.v[0]);
			strvec_release(&words);
			return;
		}
		strvec_release(&words);
	}
	for (size_t i = 0; !a->exe && i < a->exes.n; i++)
		a->exe = which(a->exes.v[i], runtimes_dir);
	if (!a->exe) {
		a->missing = xasprintf("not found (looked for %s in %s and on PATH)%s%s",
				       a->exes.n ? a->exes.v[0] : "?", runtimes_dir ? runtimes_dir : "-",
				       a->install ? "; install: " : "", a->install ? a->install : "");
		return;
	}
	for (size_t i = 0; i < a->needs.n; i++) {
		char *p = which(a->needs.v[i], runtimes_dir);
		if (!p) {
			a->missing = xasprintf("needs '%s', which is not on PATH", a->needs.v[i]);
			return;
		}
		free(p);
	}
	if (!a->version_args.n) {
		a->version = xstrdup("unknown");
		return;
	}
	const char *names[] = { "exe", "adapter_dir", "cwd" };
	const char *vals[] = { a->exe, a->dir, "." };
	struct strvec argv = STRVEC_INIT;
	for (size_t i = 0; i < a->launch.n; i++)
		strvec_push(&argv, a->launch.v[i]);
	for (size_t i = 0; i < a->version_args.n; i++)
		strvec_push_nodup(&argv, expand(a->version_args.v[i], names, vals, 3));
	struct exec_spec spec = { 0 };
	spec.argv = strvec_argv(&argv);
	spec.timeout = 30;
	spec.cap = 1 << 16;
	spec.inherit_env = true;
	struct exec_result res;
	exec_run(&spec, &res);
	if (res.status == EXEC_EXITED || res.status == EXEC_SIGNALED) {
		char *v = NULL;
		if (a->version_re && (match_regex_search(a->version_re, res.out.data ? res.out.data : "", res.out.len, &v) ||
				      match_regex_search(a->version_re, res.err.data ? res.err.data : "", res.err.len, &v))) {
			a->version = v ? v : xstrdup("unknown");
		} else {
			a->version = xstrdup("unknown");
		}
	} else {
		a->missing = xasprintf("'%s' could not run: %s", a->exe, res.error ? res.error : "timed out");
	}
	exec_result_release(&res);
	strvec_release(&argv);
}

static const struct adapter_version *version_of(const struct adapter *a, const char *wasi)
{
	for (size_t i = 0; i < a->nversions; i++)
		if (!strcmp(a->versions[i].name, wasi))
			return &a->versions[i];
	return NULL;
}

bool adapter_declares(const struct adapter *a, const char *wasi)
{
	return version_of(a, wasi) || (!a->nversions && !strcmp(wasi, "wasm32-wasip1"));
}

char *adapter_unsupported(const struct adapter *a, const struct test *t)
{
	/* a flag variant where the adapter declares no flag is a skip (adapter_cannot_run),
	 * whatever else the runtime would refuse */
	if (t->flag_variant && !adapter_feature_args(a, t->feature))
		return NULL;
	const char *wasi = t->wasi ? t->wasi : "wasm32-wasip1";
	const struct adapter_version *av = version_of(a, wasi);
	if (!adapter_declares(a, wasi)) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < a->nversions; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", a->versions[i].name);
		char *w = xasprintf("%s does not run %s (%s); it runs %s (adapter: versions)", a->name, wasi,
				    strcmp(wasi, "wasm32-wasip1") ? "a component" : "a core module",
				    b.len ? b.data : "wasm32-wasip1 only");
		buf_release(&b);
		return w;
	}
	if (t->world && strcmp(t->world, "wasi:cli/command")) {
		bool found = false;
		for (size_t i = 0; av && i < av->nworlds; i++)
			found |= !strcmp(av->worlds[i], t->world);
		if (!found)
			return xasprintf("%s does not run the world %s for %s (adapter: versions)", a->name, t->world, wasi);
	}
	for (size_t i = 0; i < t->proposals.n; i++) {
		bool found = false;
		for (size_t j = 0; av && j < av->nproposals; j++)
			found |= !strcmp(av->proposals[j].key, t->proposals.v[i]);
		if (!found)
			return xasprintf("%s does not support the proposal '%s' for %s (adapter: versions)", a->name,
					 t->proposals.v[i], wasi);
	}
	return NULL;
}

char *adapter_cannot_run(const struct adapter *a, const struct test *t)
{
	if (t->flag_variant && !adapter_feature_args(a, t->feature))
		return xasprintf("%s declares no flag for %s (runners/%s features:)", a->name, t->feature,
				 path_basename(a->file));
	for (size_t i = 0; i < t->requires.n; i++)
		for (size_t j = 0; j < a->lacks.n; j++)
			if (!strcmp(t->requires.v[i], a->lacks.v[j]))
				return xasprintf("%s lacks '%s' (adapter: lacks)", a->name, a->lacks.v[j]);
	/* a preopen at guest "." needs the runtime to present a host directory as the guest's
	 * working directory; adapters say when it cannot ("dir-dot") */
	for (size_t i = 0; i < t->ndirs; i++)
		for (size_t j = 0; j < a->lacks.n; j++)
			if (!strcmp(t->dirs[i].guest, ".") && !strcmp(a->lacks.v[j], "dir-dot"))
				return xasprintf("%s cannot preopen a directory at guest path '.' (adapter: lacks dir-dot)",
						 a->name);
	if (t->nenv && !a->has_env_arg)
		return xasprintf("%s has no way to pass environment variables", a->name);
	if (t->ndirs && !a->has_dir_arg && a->preopens != PREOPEN_CWD)
		return xasprintf("%s has no way to preopen directories", a->name);
	if (a->preopens == PREOPEN_CWD && t->ndirs > 1)
		return xasprintf("%s preopens only its working directory; the test needs %zu directories",
				 a->name, t->ndirs);
	for (size_t i = 0; i < t->ndirs && a->preopens != PREOPEN_MAP; i++) {
		const char *g = t->dirs[i].guest;
		if (a->preopens == PREOPEN_CWD && strcmp(g, ".") && strcmp(g, "/"))
			return xasprintf("%s preopens only its working directory, not guest path '%s'", a->name, g);
		if (a->preopens == PREOPEN_SAME_PATH && g[0] == '/')
			return xasprintf("%s cannot remap a preopen to guest path '%s' (same-path only)", a->name, g);
	}
	if (t->stdin_len && a->stdin_none)
		return xasprintf("%s does not pass stdin to the guest", a->name);
	return NULL;
}

/* Expands a command template (command or cache.compile) into argv. */
static void expand_command(const struct adapter *a, const struct strvec *cmd, const struct test *t,
			   const struct preopen *pre, size_t npre, const char *cwd, const char *cache,
			   struct strvec *argv)
{
	/* {proposals}: the texts of the test's proposals for its WASI version (versions) */
	const struct adapter_version *av = version_of(a, t->wasi ? t->wasi : "wasm32-wasip1");
	struct buf props = BUF_INIT;
	for (size_t i = 0; av && i < t->proposals.n; i++)
		for (size_t j = 0; j < av->nproposals; j++)
			if (!strcmp(av->proposals[j].key, t->proposals.v[i]))
				buf_adds(&props, av->proposals[j].value);
	const char *names[8] = { "exe", "module", "adapter_dir", "cwd", "cache" };
	const char *vals[8] = { a->exe, t->module, a->dir, cwd, cache };
	/* the flags of find.env's variable go to {features...}, else after {exe} */
	bool slot = has_word(cmd, "{features...}");
	for (size_t i = 0; i < cmd->n; i++) {
		const char *w = cmd->v[i];
		if (!strcmp(w, "{features...}") || (!slot && !strcmp(w, "{exe}"))) {
			if (!slot)
				strvec_push(argv, a->exe);
			for (size_t j = 0; j < a->exe_args.n; j++)
				strvec_push(argv, a->exe_args.v[j]);
			const struct strvec *fa = t->flag_variant ? adapter_feature_args(a, t->feature) : NULL;
			for (size_t j = 0; slot && fa && j < fa->n; j++)
				strvec_push(argv, fa->v[j]);
		} else if (!strcmp(w, "{cache...}")) {
			names[4] = "cache", vals[4] = cache;
			for (size_t j = 0; cache && j < a->cache.args.n; j++)
				strvec_push_nodup(argv, expand(a->cache.args.v[j], names, vals, 5));
		} else if (!strcmp(w, "{args...}")) {
			/* words that must precede guest arguments, only when there are some */
			for (size_t j = 0; t->args.n && j < a->args_prefix.n; j++)
				strvec_push(argv, a->args_prefix.v[j]);
			for (size_t j = 0; j < t->args.n; j++)
				strvec_push(argv, t->args.v[j]);
		} else if (!strcmp(w, "{env...}")) {
			for (size_t j = 0; j < t->nenv; j++) {
				names[4] = "key", names[5] = "value";
				vals[4] = t->env[j].key, vals[5] = t->env[j].value;
				for (size_t k = 0; k < a->env_arg.n; k++)
					strvec_push_nodup(argv, expand(a->env_arg.v[k], names, vals, 6));
			}
		} else if (!strcmp(w, "{dirs...}")) {
			for (size_t j = 0; j < npre && a->preopens != PREOPEN_CWD; j++) {
				names[4] = "host", names[5] = "guest";
				vals[4] = pre[j].host, vals[5] = pre[j].guest;
				for (size_t k = 0; k < a->dir_arg.n; k++)
					strvec_push_nodup(argv, expand(a->dir_arg.v[k], names, vals, 6));
			}
		} else if (strstr(w, "{proposals}")) {
			const char *pn[] = { "exe", "module", "adapter_dir", "cwd", "proposals" };
			const char *pv[] = { a->exe, t->module, a->dir, cwd, props.data ? props.data : "" };
			strvec_push_nodup(argv, expand(w, pn, pv, 5));
		} else {
			names[4] = "cache", vals[4] = cache;
			strvec_push_nodup(argv, expand(w, names, vals, 5));
		}
	}
	buf_release(&props);
}

void adapter_argv(const struct adapter *a, const struct test *t, const struct preopen *pre,
		  size_t npre, const char *cwd, const char *cache, struct strvec *argv)
{
	/* the template: the version's (the world's) command, else the top-level one */
	const struct strvec *cmd = &a->command;
	const struct adapter_version *av = version_of(a, t->wasi ? t->wasi : "wasm32-wasip1");
	if (av && av->command.n)
		cmd = &av->command;
	for (size_t i = 0; av && t->world && i < av->nworlds; i++)
		if (!strcmp(av->worlds[i], t->world))
			cmd = &av->world_cmds[i];
	for (size_t i = 0; i < a->launch.n; i++)
		strvec_push(argv, a->launch.v[i]);
	expand_command(a, cmd, t, pre, npre, cwd, a->cache.on ? cache : NULL, argv);
}

void adapter_compile_argv(const struct adapter *a, const struct test *t, const char *cwd, const char *cache,
			  struct strvec *argv)
{
	for (size_t i = 0; i < a->launch.n; i++)
		strvec_push(argv, a->launch.v[i]);
	expand_command(a, &a->cache.compile, t, NULL, 0, cwd, cache, argv);
}

void adapter_launcher_argv(const struct adapter *a, const char *cache, struct strvec *argv)
{
	struct test none = { 0 };
	none.module = (char *)"";
	for (size_t i = 0; i < a->launch.n; i++)
		strvec_push(argv, a->launch.v[i]);
	expand_command(a, &a->launcher_command, &none, NULL, 0, "", a->cache.on ? cache : NULL, argv);
}

void adapter_request_argv(const struct adapter *a, const struct test *t, const struct preopen *pre,
			  size_t npre, const char *cwd, const char *cache, struct strvec *argv)
{
	expand_command(a, &a->launcher_request, t, pre, npre, cwd, a->cache.on ? cache : NULL, argv);
}

void adapter_cache_env(const struct adapter *a, const char *cache, struct strvec *envp)
{
	const char *names[] = { "cache" }, *vals[] = { cache };
	for (size_t i = 0; cache && i < a->cache.nenv; i++) {
		char *v = expand(a->cache.env[i].value, names, vals, 1);
		strvec_push_nodup(envp, xasprintf("%s=%s", a->cache.env[i].key, v));
		free(v);
	}
}

char *adapter_cache_file(const struct adapter *a, size_t i, const char *cache)
{
	const char *names[] = { "cache" }, *vals[] = { cache };
	return expand(a->cache.files[i].value, names, vals, 1);
}

const struct known_div *adapter_known(const struct adapter *a, const char *test_id)
{
	for (size_t i = 0; i < a->nknown; i++)
		if (a->known[i].test && fnmatch(a->known[i].test, test_id, 0) == 0)
			return &a->known[i];
	return NULL;
}

/* From byte pos to the end of its line, at most 160 bytes. */
static char *line_at(const char *s, size_t n, size_t pos)
{
	size_t b = pos, e = pos;
	while (e < n && s[e] != '\n' && s[e] != '\r' && e - b < 160)
		e++;
	return xstrndup(s + b, e - b);
}

static char *last_line(const char *s, size_t n)
{
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	size_t b = n;
	while (b > 0 && s[b - 1] != '\n')
		b--;
	return line_at(s, n, b);
}

char *classify_last_line(const struct adapter *a, const char *out, size_t outn, const char *err,
			 size_t errn)
{
	bool use_out = a->speaks_on == SPEAKS_STDOUT;
	if (a->speaks_on == SPEAKS_BOTH) {
		char *l = last_line(err ? err : "", errn);
		if (*l)
			return l;
		free(l);
		use_out = true;
	}
	return use_out ? last_line(out ? out : "", outn) : last_line(err ? err : "", errn);
}

void classify_hit_release(struct classify_hit *hit)
{
	free(hit->rule);
	free(hit->excerpt);
	hit->rule = hit->excerpt = NULL;
}

bool classify_match(const struct adapter *a, const char *kind, int exit_code, const char *out,
		    size_t outn, const char *err, size_t errn, struct classify_hit *hit)
{
	const struct classify_rule *r = !strcmp(kind, "crash") ? &a->crash :
		!strcmp(kind, "trap") ? &a->trap : &a->unsupported;
	hit->rule = hit->excerpt = NULL;
	bool listed = false;
	for (size_t i = 0; i < r->nexit; i++)
		listed |= r->exit[i] == exit_code;
	if (!listed)
		return false;
	for (int s = 0; s < 2; s++) {
		const struct strvec *pats = s ? &r->stdout_pat : &r->stderr_pat;
		void **res = s ? r->stdout_re : r->stderr_re;
		const char *text = s ? (out ? out : "") : (err ? err : "");
		size_t n = s ? outn : errn, pos, end;
		for (size_t i = 0; i < pats->n; i++)
			if (res[i] && match_regex_find(res[i], text, n, &pos, &end)) {
				hit->rule = xasprintf("classify.%s.%s[%zu]", kind, s ? "stdout" : "stderr", i);
				/* the runtime's telling line: where a message that ends the stream starts;
				 * else the line the match ends on (the cause after a refusal's header) */
				size_t plen = strlen(pats->v[i]);
				if (!(plen >= 2 && !strcmp(pats->v[i] + plen - 2, "\\z"))) {
					while (end > pos && (text[end - 1] == '\n' || text[end - 1] == '\r'))
						end--;
					while (end > pos && text[end - 1] != '\n')
						end--;
					pos = end;
				}
				hit->excerpt = line_at(text, n, pos);
				return true;
			}
	}
	/* no guest can exit with this code on this runtime: the code alone is the runtime's */
	if (exit_code > a->exit_passthrough_max) {
		hit->rule = xasprintf("classify.%s.exit", kind);
		hit->excerpt = classify_last_line(a, out, outn, err, errn);
		return true;
	}
	return false;
}
