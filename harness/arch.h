/* arch.h - the architecture a runtime runs on (docs/architectures.md). A runtime is
 * runtime@version/arch: the adapter is the same on every architecture; what differs is the
 * installed binary (an architecture's own runtimes directory) and how it is launched (on a
 * foreign architecture, through qemu user-mode emulation). A runtime of the host's
 * architecture keeps the adapter's name ("wasmtime"); one of another architecture is named
 * "<adapter>/<arch>" ("wasmtime/aarch64"), so that every (test, runtime) pair stays one
 * result and old results and baselines keep their names. The table of architectures is
 * constant; nothing here is mutable. */
#ifndef WM_ARCH_H
#define WM_ARCH_H

#include "adapter.h"
#include "util.h"

#include <stdbool.h>
#include <stddef.h>

struct arch_info {
	const char *name;	/* uname -m spelling: "x86_64", "aarch64" */
	const char *qemu;	/* the user-mode emulator that runs its binaries elsewhere */
	const char *qemu_env;	/* variable overriding qemu */
	const char *sysroot;	/* -L: its dynamic loader and C libraries (Debian's cross packages) */
	const char *dir_env;	/* variable naming its runtimes directory */
	double time_scale;	/* timeouts are multiplied by this when emulated (measured) */
};

/* The architecture named s, or NULL. */
const struct arch_info *arch_find(const char *s);
/* The names of the architectures known, comma-separated (for messages). */
const char *arch_known(void);
/* The host's architecture (uname -m) into buf. */
void arch_host(char *buf, size_t n);
/* Where runtimes of architecture ai are installed (malloc'd): $<dir_env>, else
 * <dirname of runtimes_dir>/<arch>/bin (.runtimes/aarch64/bin beside .runtimes/bin). */
char *arch_runtimes_dir(const struct arch_info *ai, const char *runtimes_dir);
/* Parses --arch (a comma-separated list) into names, each once, in order. Returns 0, or -1
 * with *why (malloc'd). */
int arch_parse_list(const char *list, struct strvec *out, char **why);
/* Is one of adapter a's executables in dir? */
bool arch_installed(const struct adapter *a, const char *dir);
/* Makes a (just loaded from its file) the runtime of architecture ai, found in dir only and
 * launched through the emulator: name "<adapter>/<arch>", time_scale the arch's. */
void arch_variant(struct adapter *a, const struct arch_info *ai, const char *dir);
/* The emulator's timeout factor when WASMATRIX_EMULATION_TIMEOUT_SCALE overrides the
 * measured one (a number >= 1), else ai->time_scale. */
double arch_time_scale(const struct arch_info *ai);

/* The runtimes of each selected architecture, from the host's adapters all[0..*n) (taken
 * over, replaced): the host's runtime of each adapter, followed by that adapter's runtime of
 * each foreign architecture selected. arches is --arch (NULL: the host's, and every foreign
 * architecture that has one of these runtimes installed); a foreign runtime is made when it
 * is installed, when every is set (`wasmatrix runtimes`), or when named names it as
 * "<adapter>/<arch>" (--runtime; it is then reported missing if it is not installed).
 * Errors (an unknown or empty --arch, an --arch with nothing installed, a --runtime
 * "x/arch" outside --arch) go to d under 'what' ("--arch"). */
void arch_expand(struct adapter **all, size_t *n, const char *arches, const char *runtimes_dir,
		 const char *named, bool every, struct diag *d);

#endif
