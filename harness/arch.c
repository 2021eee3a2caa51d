/* arch.c - architectures: the constant table, the runtimes directory of each, and the
 * adapter of a foreign architecture (arch.h). */
#define _GNU_SOURCE
#include "arch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* time_scale: measured on this 2-core x86-64 machine (docs/architectures.md, "Timeouts"):
 * the same tests, native and through qemu-aarch64-static, per runtime; the factor covers the
 * slowest runtime's ratio with room to spare. */
static const struct arch_info arches_tab[] = {
	{ "x86_64", "qemu-x86_64-static", "WASMATRIX_QEMU_X86_64", "/usr/x86_64-linux-gnu",
	  "WASMATRIX_X86_64_RUNTIMES_DIR", 10 },
	{ "aarch64", "qemu-aarch64-static", "WASMATRIX_QEMU_AARCH64", "/usr/aarch64-linux-gnu",
	  "WASMATRIX_AARCH64_RUNTIMES_DIR", 10 },
};

const struct arch_info *arch_find(const char *s)
{
	for (size_t i = 0; i < N_ELEMS(arches_tab); i++)
		if (!strcmp(arches_tab[i].name, s))
			return &arches_tab[i];
	return NULL;
}

const char *arch_known(void)
{
	return "x86_64, aarch64";
}

void arch_host(char *buf, size_t n)
{
	struct utsname u;
	if (uname(&u) != 0)
		snprintf(buf, n, "unknown");
	else
		snprintf(buf, n, "%s", u.machine);
}

char *arch_runtimes_dir(const struct arch_info *ai, const char *runtimes_dir)
{
	const char *e = getenv(ai->dir_env);
	if (e && *e)
		return xstrdup(e);
	char *parent = path_dirname(runtimes_dir);
	char *d = xasprintf("%s/%s/bin", parent, ai->name);
	free(parent);
	return d;
}

int arch_parse_list(const char *list, struct strvec *out, char **why)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;
	for (char *s = strtok_r(copy, ",", &save); s && !rc; s = strtok_r(NULL, ",", &save)) {
		if (!arch_find(s)) {
			const char *names[] = { "x86_64", "aarch64" };
			/* the other spellings (Debian's, Go's, Docker's) */
			const char *near = !strcmp(s, "arm64") ? "aarch64" :
					   !strcmp(s, "amd64") || !strcmp(s, "x64") || !strcmp(s, "x86-64") ? "x86_64" :
					   suggest_closest(s, names, N_ELEMS(names));
			*why = xasprintf("unknown architecture '%s'%s%s%s (known: %s)", s, near ? "; did you mean '" : "",
					 near ? near : "", near ? "'?" : "", arch_known());
			rc = -1;
		} else {
			bool dup = false;
			for (size_t i = 0; i < out->n; i++)
				dup |= !strcmp(out->v[i], s);
			if (!dup)
				strvec_push(out, s);
		}
	}
	if (!rc && !out->n) {
		*why = xasprintf("--arch takes a comma-separated list of architectures (%s)", arch_known());
		rc = -1;
	}
	free(copy);
	return rc;
}

bool arch_installed(const struct adapter *a, const char *dir)
{
	for (size_t i = 0; i < a->exes.n; i++) {
		if (strchr(a->exes.v[i], '/'))
			continue;
		char *p = path_join(dir, a->exes.v[i]);
		bool ok = access(p, X_OK) == 0 && fs_is_file(p);
		free(p);
		if (ok)
			return true;
	}
	return false;
}

double arch_time_scale(const struct arch_info *ai)
{
	const char *e = getenv("WASMATRIX_EMULATION_TIMEOUT_SCALE");
	char *end;
	double v = e && *e ? strtod(e, &end) : 0;
	if (e && *e && !*end && v >= 1 && v <= 1000)
		return v;
	return ai->time_scale;
}

void arch_variant(struct adapter *a, const struct arch_info *ai, const char *dir)
{
	char *named = xasprintf("%s/%s", a->base, ai->name);
	free(a->name);
	a->name = named;
	free(a->arch);
	a->arch = xstrdup(ai->name);
	free(a->arch_dir);
	a->arch_dir = xstrdup(dir);
	strvec_release(&a->launch);
	const char *q = getenv(ai->qemu_env);
	strvec_push(&a->launch, q && *q ? q : ai->qemu);
	strvec_push(&a->launch, "-L");
	strvec_push(&a->launch, ai->sysroot);
	a->time_scale = arch_time_scale(ai);
}

/* Does the comma-separated list name "<base>/<arch>"? */
static bool names_variant(const char *list, const char *base, const char *arch)
{
	if (!list)
		return false;
	char *want = xasprintf("%s/%s", base, arch), *copy = xstrdup(list), *save = NULL;
	bool hit = false;
	for (char *r = strtok_r(copy, ",", &save); r && !hit; r = strtok_r(NULL, ",", &save))
		hit = !strcmp(r, want);
	free(copy);
	free(want);
	return hit;
}

static bool in_list(const struct strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

void arch_expand(struct adapter **all, size_t *n, const char *arches, const char *runtimes_dir,
		 const char *named, bool every, struct diag *d)
{
	char host[65];
	arch_host(host, sizeof host);
	struct strvec want = STRVEC_INIT;
	if (arches) {
		char *why = NULL;
		if (arch_parse_list(arches, &want, &why) < 0) {
			diag_error(d, "--arch", 0, 0, "%s", why);
			free(why);
			return;
		}
	}
	struct adapter *out = xcalloc(*n * N_ELEMS(arches_tab) + 1, sizeof *out);
	size_t nout = 0, *made = xcalloc(N_ELEMS(arches_tab) + 1, sizeof *made);
	for (size_t k = 0; k < *n; k++) {
		struct adapter *a = &(*all)[k];
		bool keep_host = !arches || in_list(&want, host);
		if (keep_host)
			out[nout++] = *a;
		for (size_t i = 0; i < N_ELEMS(arches_tab); i++) {
			const struct arch_info *ai = &arches_tab[i];
			if (!strcmp(ai->name, host))
				continue;
			bool asked = names_variant(named, a->base, ai->name);
			if (arches && !in_list(&want, ai->name)) {
				if (asked)
					diag_error(d, "--runtime", 0, 0, "'%s/%s' is not of an architecture --arch selects (%s)",
						   a->base, ai->name, arches);
				continue;
			}
			char *dir = arch_runtimes_dir(ai, runtimes_dir);
			if (every || asked || arch_installed(a, dir)) {
				struct adapter *v = &out[nout];
				if (adapter_load(v, a->file, d) == 0) {
					arch_variant(v, ai, dir);
					nout++;
					made[i] += arch_installed(v, dir);
				} else {
					adapter_release(v);
				}
			}
			free(dir);
		}
		if (!keep_host)
			adapter_release(a);
	}
	for (size_t i = 0; arches && i < N_ELEMS(arches_tab); i++) {
		const struct arch_info *ai = &arches_tab[i];
		if (strcmp(ai->name, host) && in_list(&want, ai->name) && !made[i] && !every) {
			char *dir = arch_runtimes_dir(ai, runtimes_dir);
			diag_error(d, "--arch", 0, 0, "no runtime is installed for %s in %s (scripts/install-runtimes.sh "
				   "installs them: make runtimes; docs/architectures.md)", ai->name, dir);
			free(dir);
		}
	}
	free(made);
	free(*all);
	*all = out;
	*n = nout;
	strvec_release(&want);
}
