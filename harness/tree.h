/* tree.h - paths beneath a root: fixture trees, guest paths, suite trees. Every place a
 * name from input becomes a host path goes through here (see docs/suite-format.md,
 * "Paths and the sandbox"). Links are resolved component by component (openat with
 * O_NOFOLLOW, '..' popped off a stack of directory fds), never judged by their text;
 * resolution that would leave the root fails with EXDEV. Strings returned through
 * 'why' or as results are malloc'd and freed by the caller; fds returned are the
 * caller's to close. */
#ifndef WM_TREE_H
#define WM_TREE_H

#include <stdbool.h>
#include <stddef.h>

/* ---- resolution beneath a directory fd (the openat2 RESOLVE_BENEATH model) */
enum {
	TREE_FOLLOW = 1,	/* follow a symlink in the last component too (beneath the root) */
	TREE_MKDIR = 2,		/* create missing directories, the last component included */
};
/* Opens 'rel' (relative; "" and "." are the root itself) beneath the directory 'rootfd'
 * with 'oflags' (O_NOFOLLOW and O_CLOEXEC are added for the last component). Symlinks
 * in directory components are followed while they stay beneath the root. Returns an
 * fd, or -1 with errno: EXDEV when the path or a link leaves the root (absolute path,
 * absolute link, '..' above the root), ELOOP after 40 links, or what openat said. */
int tree_open_beneath(int rootfd, const char *rel, int oflags, unsigned how);
/* The content of the regular file at 'rel' beneath 'rootfd' (links followed beneath),
 * NUL-terminated, or NULL with errno (EINVAL: not a regular file). */
char *tree_read_beneath(int rootfd, const char *rel, size_t *len);

/* ---- fixture trees: regular files, directories, and symlinks that resolve (through
 * the tree as it is) to something inside the tree. Anything else is refused: devices,
 * FIFOs, sockets, links that leave the tree, dangling links, link loops. */
/* Returns 0, or -1 with *why. */
int tree_check(const char *root, char **why);
/* Copies the tree at 'src' into the existing, empty directory 'dstfd', checking it again
 * as it goes (the fixture may have changed since it was loaded). Returns 0 or -1, *why. */
int tree_copy(const char *src, int dstfd, char **why);
/* The same, leaving out every entry whose name ends in 'suffix' (with what is beneath it):
 * upstream wasi-testsuite's "*.cleanup" test artifacts. */
int tree_check_except(const char *root, const char *suffix, char **why);
int tree_copy_except(const char *src, int dstfd, const char *suffix, char **why);

/* A digest of a tree's observable state (names, types, file contents, link targets),
 * as 16 hex digits; equal trees give equal digests. NULL if unreadable. Never follows
 * a link. */
char *tree_digest_fd(int rootfd);
char *tree_digest(const char *root);

/* ---- guest paths */
/* A preopen's guest path: "/", ".", or one or more components without empty or ".."
 * ones ("/sandbox", "data/in", "./data", "/sandbox/"), no control characters. Returns
 * NULL when valid, else a static description of the problem. */
const char *tree_guest_invalid(const char *guest);
/* How well the guest file path 'path' falls under the preopen 'guest': -1 not at all,
 * 0 when 'guest' is "/" or "." (they take any path), else 1 + the number of components
 * matched (longest match wins). *rest is the path below the preopen (may be ""). */
int tree_guest_match(const char *guest, const char *path, const char **rest);
/* Whether a relative path stays at or below its start when read lexically ('a/../b'
 * does, '../b' and 'a/../../b' do not). */
bool tree_rel_stays(const char *rel);

/* ---- suite trees */
/* The tree a suite in directory 'dir' (canonical) may name files in: the nearest of
 * 'dir' and its ancestors that holds a regular file named TREE_ROOT_MARKER, else 'dir'. */
#define TREE_ROOT_MARKER ".wasmatrix-suite-root"
char *tree_suite_root(const char *dir);
/* Resolves 'rel' (relative to 'base') with every link followed and checks that it lies
 * in 'root' (both canonical). Returns 0 with *out (canonical); -1 with *why when
 * 'rel' is absolute or resolves outside 'root'; -2 with errno when it does not resolve. */
int tree_resolve_inside(const char *root, const char *base, const char *rel, char **out, char **why);

#endif
