/* wts.c - see wts.h and docs/wasi-testsuite.md. Spec fields: args, env, root (a
 * directory preopened as the guest's "/"), legacy dirs (each preopened under its own
 * name), exit_code, stdout, stderr (compared as a prefix, as upstream does), and
 * operations (run/write/read/wait; socket and HTTP operations are skipped). */
#define _GNU_SOURCE
#include "wts.h"
#include "load.h"
#include "fixture.h"
#include "guestpath.h"
#include "suitetree.h"
#include "ynode.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static const char *const manifest_keys[] = { "name", "version" };
static const char *const spec_keys[] = { "args", "env", "root", "dirs", "exit_code", "stdout",
	"stderr", "operations" };
static const char *const op_keys[] = { "type", "args", "env", "dirs", "id", "payload", "exit_code" };
static const char *const op_types[] = { "run", "wait", "read", "write" };
static const char *const op_net_types[] = { "connect", "send", "recv", "listen", "accept",
	"http", "request", "response", "close" };

static void add_dir(struct test *t, char *host, const char *guest)
{
	t->dirs = xrealloc(t->dirs, (t->ndirs + 1) * sizeof *t->dirs);
	t->dirs[t->ndirs].host = host;
	t->dirs[t->ndirs++].guest = xstrdup(guest);
}

static void set_prefix(struct matcher *m, const struct ynode *v)
{
	match_release(m);
	m->kind = MATCH_PREFIX;
	m->text = xmalloc(v->len + 1);
	memcpy(m->text, v->str, v->len + 1);
	m->len = v->len;
}

/* Whether 'rel' (a file the suite in 'dir' names) resolves inside the suite's tree (see
 * suitetree_root). 0 with *out canonical; -1 with *why; -2 when it does not resolve. */
static int inside(const char *dir, const char *rel, char **out, char **why)
{
	char *base = realpath(dir, NULL);
	if (!base) {
		*out = *why = NULL;
		return -2;
	}
	char *tree = suitetree_root(base);
	int r = suitetree_resolve(tree, base, rel, out, why);
	free(tree);
	free(base);
	return r;
}

static bool fixture_dir(struct test *t, const char *dir, const char *file, const struct ynode *v,
			const char *rel, const char *guest, struct diag *d)
{
	char *p = NULL, *why = NULL;
	const char *bad = guestpath_invalid(guest);
	if (bad) {
		/* a legacy dir is preopened under its own name, so it must be a usable guest path */
		diag_error(d, file, v->line, v->col, "directory '%s' cannot be a guest path: it %s", rel, bad);
		return false;
	}
	int r = inside(dir, rel, &p, &why);
	if (r == -1) {
		diag_error(d, file, v->line, v->col, "directory %s", why);
		free(why);
		return false;
	}
	if (r == -2 || !fs_is_dir(p)) {
		diag_error(d, file, v->line, v->col, "directory '%s' does not exist next to the spec", rel);
		free(p);
		return false;
	}
	if (fixture_check(p, &why) < 0) {
		diag_error(d, file, v->line, v->col, "fixture tree '%s' refused: %s", rel, why);
		free(why);
		free(p);
		return false;
	}
	add_dir(t, p, guest);
	return true;
}

/* A file of the suite itself (manifest, spec, module) must resolve inside its tree: a
 * link to a host file would otherwise be read (and quoted in messages) or run. */
static bool own_file(const char *dir, const char *name, struct diag *d)
{
	char *p = NULL, *why = NULL;
	int r = inside(dir, name, &p, &why);
	char *shown = path_join(dir, name);
	if (r == -1)
		diag_error(d, shown, 0, 0, "%s", why);
	else if (r == -2 || !fs_is_file(p))
		diag_error(d, shown, 0, 0, "not a regular file inside the suite");
	bool ok = r == 0 && fs_is_file(p);
	free(shown);
	free(p);
	free(why);
	return ok;
}

static bool parse_args(const struct ynode *v, const char *file, struct diag *d, struct strvec *out)
{
	if (!ynode_expect(v, YN_SEQ, file, "args", d))
		return false;
	bool ok = true;
	for (size_t i = 0; i < v->n; i++) {
		const char *s;
		if (ynode_str(v->kids[i], file, "an argument", d, &s))
			strvec_push(out, s);
		else
			ok = false;
	}
	return ok;
}

static bool parse_dirs(const struct ynode *v, const char *dir, const char *file, struct diag *d,
		       struct test *t)
{
	if (!ynode_expect(v, YN_SEQ, file, "dirs", d))
		return false;
	bool ok = true;
	for (size_t i = 0; i < v->n; i++) {
		const char *s;
		if (!ynode_str(v->kids[i], file, "a directory", d, &s))
			ok = false;
		else
			ok &= fixture_dir(t, dir, file, v->kids[i], s, s, d);
	}
	return ok;
}

static bool parse_ops(const struct ynode *ops, const char *dir, const char *file, struct diag *d,
		      struct test *t, struct buf *out)
{
	if (!ynode_expect(ops, YN_SEQ, file, "operations", d))
		return false;
	bool ok = true;
	struct buf in = BUF_INIT;
	for (size_t i = 0; i < ops->n; i++) {
		const struct ynode *op = ops->kids[i], *v;
		const char *type;
		if (!ynode_expect(op, YN_MAP, file, "an operation", d)) {
			ok = false;
			continue;
		}
		ok &= ynode_check_keys(op, file, "an operation", op_keys, N_ELEMS(op_keys), d);
		if (!ynode_require(op, "type", file, "an operation", d) ||
		    !ynode_str(ynode_get(op, "type"), file, "type", d, &type)) {
			ok = false;
			continue;
		}
		bool net = false;
		for (size_t j = 0; j < N_ELEMS(op_net_types); j++)
			net |= !strcmp(type, op_net_types[j]);
		if (net) {
			if (!t->skip)
				t->skip = xasprintf("needs sockets/HTTP servers (operation '%s'), not supported yet", type);
			continue;
		}
		if (!strcmp(type, "run")) {
			if ((v = ynode_get(op, "args")))
				ok &= parse_args(v, file, d, &t->args);
			if ((v = ynode_get(op, "env")))
				ok &= load_env_map(v, file, d, t);
			if ((v = ynode_get(op, "dirs")))
				ok &= parse_dirs(v, dir, file, d, t);
		} else if (!strcmp(type, "write") || !strcmp(type, "read")) {
			const char *p;
			size_t pl;
			if (!ynode_require(op, "payload", file, "a read/write operation", d) ||
			    !ynode_bytes(ynode_get(op, "payload"), file, "payload", d, &p, &pl)) {
				ok = false;
				continue;
			}
			v = ynode_get(op, "payload");
			buf_add(!strcmp(type, "write") ? &in : out, v->str, v->len);
		} else if (!strcmp(type, "wait")) {
			long code;
			if ((v = ynode_get(op, "exit_code"))) {
				if (ynode_int(v, file, "exit_code", 0, 255, d, &code))
					t->expect.exit[0] = (int)code;
				else
					ok = false;
			}
		} else {
			const struct ynode *tn = ynode_get(op, "type");
			const char *near = suggest_closest(type, op_types, N_ELEMS(op_types));
			diag_error(d, file, tn->line, tn->col, "unknown operation type '%s'%s%s%s", type,
				   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
			ok = false;
		}
	}
	if (in.len) {
		free(t->stdin_data);
		t->stdin_len = in.len;
		t->stdin_data = buf_detach(&in);
	}
	buf_release(&in);
	return ok;
}

static void load_spec(struct test *t, const char *dir, const char *spec, struct diag *d)
{
	struct ydoc doc = { 0 };
	if (ydoc_load(&doc, spec, d) < 0)
		return;
	const struct ynode *r = doc.root, *v;
	free(t->file);
	t->file = xstrdup(spec);
	if (!r) {
		ydoc_release(&doc);
		return;
	}
	if (!ynode_expect(r, YN_MAP, spec, "a test spec (a JSON object)", d)) {
		ydoc_release(&doc);
		return;
	}
	t->line = r->line;
	t->col = r->col;
	ynode_check_keys(r, spec, "a test spec", spec_keys, N_ELEMS(spec_keys), d);
	if ((v = ynode_get(r, "args")))
		parse_args(v, spec, d, &t->args);
	if ((v = ynode_get(r, "env")))
		load_env_map(v, spec, d, t);
	if ((v = ynode_get(r, "root"))) {
		const char *s;
		if (ynode_str(v, spec, "root", d, &s))
			fixture_dir(t, dir, spec, v, s, "/", d);
	}
	if ((v = ynode_get(r, "dirs")))
		parse_dirs(v, dir, spec, d, t);
	long code;
	if ((v = ynode_get(r, "exit_code")) && ynode_int(v, spec, "exit_code", 0, 255, d, &code))
		t->expect.exit[0] = (int)code;
	/* expected output is bytes: a NUL is an ordinary byte there */
	if ((v = ynode_get(r, "stdout")) && ynode_bytes(v, spec, "stdout", d, &(const char *){ 0 }, &(size_t){ 0 }))
		set_prefix(&t->expect.out, v);
	if ((v = ynode_get(r, "stderr")) && ynode_bytes(v, spec, "stderr", d, &(const char *){ 0 }, &(size_t){ 0 }))
		set_prefix(&t->expect.err, v);
	if ((v = ynode_get(r, "operations"))) {
		struct buf out = BUF_INIT;
		parse_ops(v, dir, spec, d, t, &out);
		if (out.len) {
			match_release(&t->expect.out);
			t->expect.out.kind = MATCH_PREFIX;
			t->expect.out.len = out.len;
			t->expect.out.text = buf_detach(&out);
		}
		buf_release(&out);
	}
	ydoc_release(&doc);
}

/* "…/c/testsuite/wasm32-wasip1" -> "c/wasm32-wasip1"; otherwise the last component. */
static char *suite_name(const char *abs)
{
	char *a = xstrdup(abs);
	size_t n = strlen(a);
	while (n > 1 && a[n - 1] == '/')
		a[--n] = 0;
	char *last = strrchr(a, '/');
	char *name;
	if (last && last > a) {
		*last = 0;
		char *mid = strrchr(a, '/');
		if (mid && !strcmp(mid + 1, "testsuite")) {
			*mid = 0;
			char *first = strrchr(a, '/');
			name = xasprintf("%s/%s", first ? first + 1 : a, last + 1);
		} else {
			name = xstrdup(last + 1);
		}
	} else {
		name = xstrdup(last ? last + 1 : a);
	}
	free(a);
	return name;
}

int wts_load(struct suite *s, const char *dir, struct diag *d)
{
	size_t errs = d->errors;
	memset(s, 0, sizeof *s);
	s->path = xstrdup(dir);
	s->kind = xstrdup("wasi-testsuite");
	char *abs = realpath(dir, NULL);
	if (!abs)
		abs = xstrdup(dir);
	s->name = suite_name(abs);
	for (const char *q = s->name; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f) {
			diag_error(d, dir, 0, 0, "the suite's name (from its directory) contains a control character");
			break;
		}
	char *man = path_join(dir, "manifest.json");
	struct ydoc doc = { 0 };
	if (own_file(dir, "manifest.json", d) && ydoc_load(&doc, man, d) == 0) {
		const struct ynode *r = doc.root, *v;
		const char *str;
		if (!r || !ynode_expect(r, YN_MAP, man, "a manifest (a JSON object)", d)) {
			if (!r)
				diag_error(d, man, 1, 1, "empty manifest");
		} else {
			ynode_check_keys(r, man, "the manifest", manifest_keys, N_ELEMS(manifest_keys), d);
			if ((v = ynode_get(r, "name")) && ynode_str(v, man, "name", d, &str))
				s->description = xstrdup(str);
			if ((v = ynode_get(r, "version")))
				ynode_str(v, man, "version", d, &str);
		}
	}
	ydoc_release(&doc);
	free(man);

	struct strvec wasm = STRVEC_INIT;
	fs_list_dir(dir, ".wasm", &wasm);
	if (!wasm.n)
		diag_error(d, dir, 0, 0, "wasi-testsuite directory holds no *.wasm tests");
	s->tests = xcalloc(wasm.n ? wasm.n : 1, sizeof *s->tests);
	for (size_t i = 0; i < wasm.n; i++) {
		struct test *t = &s->tests[s->ntests++];
		t->name = xstrndup(wasm.v[i], strlen(wasm.v[i]) - 5);
		t->id = xasprintf("%s/%s", s->name, t->name);
		t->module = path_join(abs, wasm.v[i]);
		own_file(dir, wasm.v[i], d);
		for (const char *q = t->name; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f) {
				diag_error(d, t->module, 0, 0, "the test's name (its file name) contains a control character");
				break;
			}
		t->expect.exit = xcalloc(1, sizeof(int));
		t->expect.nexit = 1;
		t->expect.out.kind = t->expect.err.kind = MATCH_ANY;
		char *spec = xasprintf("%s/%s.json", dir, t->name);
		t->file = xstrdup(t->module);
		t->line = t->col = 0;
		char *specname = xasprintf("%s.json", t->name);
		struct stat sst;
		if (lstat(spec, &sst) == 0 && own_file(dir, specname, d))
			load_spec(t, dir, spec, d);
		free(specname);
		free(spec);
		strvec_push(&t->tags, "wasi-testsuite");
	}
	strvec_release(&wasm);
	free(abs);
	return d->errors > errs ? -1 : 0;
}
