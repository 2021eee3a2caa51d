/* util.h - memory, growable capped buffers, string vectors.
 * Ownership: a struct buf owns its data; buf_release() frees it. A struct strvec
 * owns its strings; strvec_release() frees them. xmalloc & co abort on OOM. */
#ifndef WM_UTIL_H
#define WM_UTIL_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable byte buffer, always NUL-terminated. cap == 0 means unbounded;
 * otherwise appends past cap are dropped and 'truncated' is set (never an abort). */
struct buf {
	char *data;
	size_t len, alloc, cap;
	bool truncated;
};
#define BUF_INIT { NULL, 0, 0, 0, false }
void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_addc(struct buf *b, char c);
char *buf_detach(struct buf *b);	/* caller frees; b is reset */

struct strvec {
	char **v;
	size_t n, alloc;
};
#define STRVEC_INIT { NULL, 0, 0 }
void strvec_push(struct strvec *sv, const char *s);
void strvec_push_nodup(struct strvec *sv, char *s);
void strvec_release(struct strvec *sv);
/* NULL-terminated view of the vector, valid until the next push. */
char **strvec_argv(struct strvec *sv);

/* File helpers. read_file returns malloc'd NUL-terminated content or NULL (errno set). */
char *read_file(const char *path, size_t *len);
bool path_is_dir(const char *path);
bool path_is_file(const char *path);
char *path_join(const char *a, const char *b);
char *path_dirname(const char *p);
const char *path_basename(const char *p);
/* The names in dir (not . files) ending in suffix (NULL: any), sorted, appended to out.
 * Returns 0, or -1 when dir cannot be read. */
int dir_list(const char *dir, const char *suffix, struct strvec *out);
/* mkdir -p (mode 0755); an existing directory is success. 0 or -1 with errno. */
int mkdir_p(const char *path);
/* mkdir -p for private directories: missing components are created 0700, and the last
 * one must then be a directory owned by this user and not group- or world-writable
 * (stat follows a symlink the user made). 0, or -1 with *why (malloc'd). */
int mkdir_private(const char *path, char **why);
/* rm -rf without following symlinks; returns 0 on success. */
int remove_tree(const char *path);
double now_seconds(void);	/* monotonic */

/* Output files: every file wasmatrix writes for the user goes through these.
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

/* Edit distance, used for "did you mean" suggestions. */
size_t levenshtein(const char *a, const char *b);

/* The number of elements of an array (not a pointer). */
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
/* 64-bit FNV-1a: start with h = FNV1A_INIT, feed bytes in as many calls as needed. Not
 * for anything an adversary picks to collide (strset has its own keyed hash). */
#define FNV1A_INIT 14695981039346656037ULL
unsigned long long fnv1a(unsigned long long h, const void *p, size_t n);
/* The first non-blank line of s[0..n) (leading newlines and spaces skipped), at most max
 * bytes, malloc'd; "" when s is NULL. */
char *first_line(const char *s, size_t n, size_t max);
/* qsort comparator for an array of char * (strcmp order). */
int cmp_strp(const void *a, const void *b);
/* Closest candidate within a sensible distance, or NULL. */
const char *closest_word(const char *word, const char *const *cands, size_t n);

/* Shell-quote one argument for a copy-pastable command line. */
void shell_quote(struct buf *out, const char *arg);
/* Appends s[0..n) with everything a terminal would interpret made visible, never
 * interpreted: control characters as \r, \t (single-line), \n (single-line) or \xHH (ESC is
 * \x1b), DEL as \x7f, invalid UTF-8 bytes as \xHH, C1 controls and bidi overrides as
 * \uHHHH. keep_newlines: '\n' and '\t' stay (multi-line text such as diffs). The one
 * escaping function for text from input or guests that reaches a terminal. */
void buf_add_visible(struct buf *out, const char *s, size_t n, bool keep_newlines);
/* The same into a malloc'd string (s NULL gives ""). */
char *str_visible(const char *s, bool keep_newlines);

/* --- strset: a set of byte strings, each with a size_t value, for linear-time
 * duplicate checks and lookups on input of any size. Keys are borrowed: the caller keeps
 * them alive and unchanged while they are in the set. Up to 8 keys are scanned in order
 * (no hashing); beyond that, open addressing (linear probing) on SipHash-1-3 with a key
 * drawn from getrandom() per set, so crafted input cannot force collisions.
 * strset_release() frees the table, never the keys. */
struct strset_slot {
	const char *key;	/* NULL: empty slot */
	size_t len, val;
	unsigned long long hash;
};
struct strset {
	struct strset_slot *slots;
	size_t n, cap;		/* hashed when cap > STRSET_SMALL */
	unsigned long long k0, k1;
};
#define STRSET_SMALL 8
#define STRSET_INIT { NULL, 0, 0, 0, 0 }
void strset_init(struct strset *s);
void strset_release(struct strset *s);
/* Adds key -> val and returns true; when the key is already in the set, changes nothing
 * and returns false with the value it has in *old (when old is not NULL). */
bool strset_add(struct strset *s, const char *key, size_t len, size_t val, size_t *old);
/* true with the key's value in *val (when not NULL), or false when absent. */
bool strset_get(const struct strset *s, const char *key, size_t len, size_t *val);
/* Replaces the value of a key already in the set (false when absent). */
bool strset_set(struct strset *s, const char *key, size_t len, size_t val);

#endif
