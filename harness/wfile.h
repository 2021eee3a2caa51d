/* wfile.h - output files: every file wasmatrix writes for the user goes through these.
 * - "-", /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N write to that open
 *   descriptor (as the shell set it up);
 * - a FIFO or a character device (e.g. /dev/null) is written straight through;
 * - a new name or a regular file is written to a fresh temp name in the same directory
 *   (".NAME.XXXXXX", created O_EXCL|O_NOFOLLOW, so a planted file or symlink there cannot
 *   redirect it), then renamed over NAME by wfile_commit: readers never see half a file;
 *   an existing file keeps its permission bits, a new one gets 0666 less the umask;
 * - a symbolic link (other than the descriptor names above), a directory, a socket or a
 *   block device is refused: give the link's target itself.
 * Ownership: a struct wfile owns its FILE and names until wfile_commit or wfile_abort. */
#ifndef WM_WFILE_H
#define WM_WFILE_H

#include <stdbool.h>
#include <stdio.h>

struct wfile {
	FILE *f;
	char *path, *tmp;	/* tmp: the temp name, NULL when written straight through */
	bool borrowed;		/* f is stdout or stderr: flushed, never closed */
};
/* 0, or -1 with *why (malloc'd, names the path) and errno set. */
int wfile_open(struct wfile *w, const char *path, char **why);
/* Flushes, closes and renames into place. 0, or -1 with *why and errno (temp removed). */
int wfile_commit(struct wfile *w, char **why);
/* Drops a file being written (the temp name is removed; an existing file is untouched). */
void wfile_abort(struct wfile *w);
/* Would wfile_open accept path (its directory exists and is writable)? Writes nothing;
 * for checks before long work. 0, or -1 with *why and errno. */
int wfile_check(const char *path, char **why);

#endif
