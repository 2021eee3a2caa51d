/* util.c - see util.h */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
	fputs("wasmatrix: fatal: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

void buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->cap = cap;
	b->truncated = false;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->cap);
}

static void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->alloc)
		return;
	size_t want = b->alloc ? b->alloc : 64;
	while (want < b->len + extra + 1)
		want *= 2;
	b->data = xrealloc(b->data, want);
	b->alloc = want;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap && b->len + n > b->cap) {
		n = b->cap > b->len ? b->cap - b->len : 0;
		b->truncated = true;
	}
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	/* format straight into the buffer's spare room; only a capped buffer, or one too
	 * small for the text, takes the slower copy */
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->alloc > b->len ? b->alloc - b->len : 0;
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	if ((size_t)n < room && (!b->cap || b->len + (size_t)n <= b->cap)) {
		b->len += (size_t)n;
		return;
	}
	if (!b->cap) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = '\0';	/* undo the partial text */
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, s, (size_t)n);
	free(s);
}

char *buf_detach(struct buf *b)
{
	if (!b->data)
		buf_grow(b, 0), b->data[0] = '\0';
	char *d = b->data;
	b->data = NULL;
	b->len = b->alloc = 0;
	b->truncated = false;
	return d;
}

void strvec_push_nodup(struct strvec *sv, char *s)
{
	if (sv->n + 2 > sv->alloc) {
		sv->alloc = sv->alloc ? sv->alloc * 2 : 8;
		sv->v = xrealloc(sv->v, sv->alloc * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_nodup(sv, xstrdup(s));
}

void strvec_release(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

char **strvec_argv(struct strvec *sv)
{
	if (!sv->v) {
		sv->alloc = 8;
		sv->v = xcalloc(sv->alloc, sizeof(*sv->v));
	}
	return sv->v;
}

char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct buf b = BUF_INIT;
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			buf_release(&b);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		buf_add(&b, tmp, (size_t)n);
	}
	close(fd);
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

bool path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
	if (b[0] == '/' || !a[0])
		return xstrdup(b);
	size_t la = strlen(a);
	return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *path_dirname(const char *p)
{
	const char *s = strrchr(p, '/');
	if (!s)
		return xstrdup(".");
	if (s == p)
		return xstrdup("/");
	return xstrndup(p, (size_t)(s - p));
}

const char *path_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Removes 'name' in 'dirfd' by fds only: a directory is opened with O_NOFOLLOW and its
 * entries unlinked relative to it, so a link (even one swapped in meanwhile by a process
 * that outlived its test) is removed as a link, never followed. */
static int remove_at(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		/* a test chmod'ed it: make it listable, on the entry itself and not through a link */
		fchmodat(dirfd, name, 0700, AT_SYMLINK_NOFOLLOW);
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	int rc = 0;
	if (fd >= 0) {
		fchmod(fd, 0700);
		DIR *d = fdopendir(fd);
		if (!d) {
			close(fd);
			return -1;
		}
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && remove_at(fd, e->d_name) != 0)
				rc = -1;
		closedir(d);
	}
	if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
		rc = -1;
	return rc;
}

int remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path);
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

size_t levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xmalloc((lb + 1) * sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *closest_word(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = levenshtein(word, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	size_t len = strlen(word);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	return bestd <= limit ? best : NULL;
}

void shell_quote(struct buf *out, const char *arg)
{
	bool plain = *arg != '\0';
	for (const char *p = arg; *p; p++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p)) {
			plain = false;
			break;
		}
	}
	if (plain) {
		buf_adds(out, arg);
		return;
	}
	buf_addc(out, '\'');
	for (const char *p = arg; *p; p++) {
		if (*p == '\'')
			buf_adds(out, "'\\''");
		else
			buf_addc(out, *p);
	}
	buf_addc(out, '\'');
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t l = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
		   s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (!l || l > n)
		return 0;
	for (size_t i = 1; i < l; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return l;
}

void buf_add_visible(struct buf *out, const char *s, size_t n, bool keep_newlines)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		if (c >= 0x20 && c < 0x7f) {
			buf_addc(out, (char)c);
			i++;
		} else if ((c == '\n' || c == '\t') && keep_newlines) {
			buf_addc(out, (char)c);
			i++;
		} else if (c < 0x80) {
			if (c == '\n' || c == '\r' || c == '\t')
				buf_addf(out, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
			else
				buf_addf(out, "\\x%02x", c);
			i++;
		} else {
			size_t l = utf8_len(u + i, n - i);
			unsigned cp = l == 2 ? (unsigned)(c & 0x1f) << 6 | (u[i + 1] & 0x3f) :
				l == 3 ? (unsigned)(c & 0x0f) << 12 | (unsigned)(u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f) : 0;
			if (!l) {
				buf_addf(out, "\\x%02x", c);
				i++;
				continue;
			}
			/* C1 controls (CSI 0x9b...), and the marks that reorder text on screen */
			if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
			    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
				buf_addf(out, "\\u%04x", cp);
			else
				buf_add(out, u + i, l);
			i += l;
		}
	}
}

char *str_visible(const char *s, bool keep_newlines)
{
	struct buf b = BUF_INIT;
	buf_add_visible(&b, s ? s : "", s ? strlen(s) : 0, keep_newlines);
	if (!b.data)
		buf_adds(&b, "");
	return buf_detach(&b);
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	int rc = mkdir(p, 0755);
	free(p);
	return rc == 0 || errno == EEXIST ? 0 : -1;
}

int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

unsigned long long fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 1099511628211ULL;
	}
	return h;
}

char *first_line(const char *s, size_t n, size_t max)
{
	if (!s)
		return xstrdup("");
	while (n && (*s == '\n' || *s == '\r' || *s == ' ')) {
		s++;
		n--;
	}
	size_t l = 0;
	while (l < n && s[l] != '\n' && s[l] != '\r' && l < max)
		l++;
	return xstrndup(s, l);
}

int dir_list(const char *dir, const char *suffix, struct strvec *out)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return -1;
	size_t first = out->n, sl = suffix ? strlen(suffix) : 0;
	struct dirent *de;
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || (suffix && (l <= sl || strcmp(de->d_name + l - sl, suffix))))
			continue;
		strvec_push(out, de->d_name);
	}
	closedir(dp);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof *out->v, cmp_strp);
	return 0;
}

/* --- strset (see util.h); its own includes, so this block stands alone --- */
#include <stdint.h>
#include <sys/random.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                   \
	do {                                                                       \
		v0 += v1, v1 = ROTL(v1, 13), v1 ^= v0, v0 = ROTL(v0, 32);          \
		v2 += v3, v3 = ROTL(v3, 16), v3 ^= v2;                             \
		v0 += v3, v3 = ROTL(v3, 21), v3 ^= v0;                             \
		v2 += v1, v1 = ROTL(v1, 17), v1 ^= v2, v2 = ROTL(v2, 32);          \
	} while (0)

/* SipHash-1-3 (one compression round, three finalisation rounds) of p[0..n). */
static uint64_t strset_siphash13(uint64_t k0, uint64_t k1, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL,
		 v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)n << 56;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t m = 0;
		for (int j = 7; j >= 0; j--)
			m = (m << 8) | s[i + (size_t)j];
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (int j = 0; i + (size_t)j < n; j++)
		b |= (uint64_t)s[i + (size_t)j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void strset_init(struct strset *s)
{
	memset(s, 0, sizeof *s);
}

void strset_release(struct strset *s)
{
	free(s->slots);
	strset_init(s);
}

static bool strset_key_eq(const struct strset_slot *e, const char *key, size_t len)
{
	return e->len == len && (len == 0 || memcmp(e->key, key, len) == 0);
}

/* The slot holding key, or the empty slot where it would go (hashed sets only). */
static struct strset_slot *strset_probe(const struct strset *s, const char *key, size_t len, uint64_t h)
{
	size_t mask = s->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct strset_slot *e = &s->slots[i];
		if (!e->key || (e->hash == h && strset_key_eq(e, key, len)))
			return e;
	}
}

static void strset_rehash(struct strset *s, size_t cap)
{
	struct strset_slot *old = s->slots;
	size_t oldcap = s->cap;
	bool was_hashed = oldcap > STRSET_SMALL;
	if (!was_hashed) {
		/* first time past the small size: draw this set's key */
		uint64_t k[2];
		if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k) {
			/* no entropy yet (early boot): still unpredictable enough to the input */
			k[0] = (uint64_t)(uintptr_t)s ^ ((uint64_t)getpid() << 32);
			k[1] = (uint64_t)(now_seconds() * 1e9) ^ (uint64_t)(uintptr_t)&k;
		}
		s->k0 = k[0];
		s->k1 = k[1];
	}
	s->slots = xcalloc(cap, sizeof *s->slots);
	s->cap = cap;
	for (size_t i = 0; i < (was_hashed ? oldcap : s->n); i++) {
		if (!old[i].key)
			continue;
		struct strset_slot e = old[i];
		if (!was_hashed)
			e.hash = strset_siphash13(s->k0, s->k1, e.key, e.len);
		*strset_probe(s, e.key, e.len, e.hash) = e;
	}
	free(old);
}

static struct strset_slot *strset_find(const struct strset *s, const char *key, size_t len, uint64_t *h)
{
	if (s->cap <= STRSET_SMALL) {
		for (size_t i = 0; i < s->n; i++)
			if (strset_key_eq(&s->slots[i], key, len))
				return &s->slots[i];
		return NULL;
	}
	*h = strset_siphash13(s->k0, s->k1, key, len);
	struct strset_slot *e = strset_probe(s, key, len, *h);
	return e->key ? e : NULL;
}

bool strset_get(const struct strset *s, const char *key, size_t len, size_t *val)
{
	uint64_t h;
	const struct strset_slot *e = strset_find(s, key, len, &h);
	if (e && val)
		*val = e->val;
	return e != NULL;
}

bool strset_set(struct strset *s, const char *key, size_t len, size_t val)
{
	uint64_t h;
	struct strset_slot *e = strset_find(s, key, len, &h);
	if (e)
		e->val = val;
	return e != NULL;
}

bool strset_add(struct strset *s, const char *key, size_t len, size_t val, size_t *old)
{
	uint64_t h = 0;
	struct strset_slot *e = strset_find(s, key, len, &h);
	if (e) {
		if (old)
			*old = e->val;
		return false;
	}
	/* small: an array filled in order; hashed: at most half full */
	if (s->cap <= STRSET_SMALL && s->n < STRSET_SMALL) {
		if (!s->slots) {
			s->slots = xcalloc(STRSET_SMALL, sizeof *s->slots);
			s->cap = STRSET_SMALL;
		}
		s->slots[s->n++] = (struct strset_slot){ key ? key : "", len, val, 0 };
		return true;
	}
	if (s->cap <= STRSET_SMALL || 2 * (s->n + 1) > s->cap) {
		strset_rehash(s, s->cap <= STRSET_SMALL ? 4 * STRSET_SMALL : 2 * s->cap);
		h = strset_siphash13(s->k0, s->k1, key, len);
	}
	*strset_probe(s, key, len, h) = (struct strset_slot){ key ? key : "", len, val, h };
	s->n++;
	return true;
}

int mkdir_private(const char *path, char **why)
{
	*why = NULL;
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0700);	/* an existing component is fine; the last one is checked */
			*s = '/';
		}
	if (mkdir(p, 0700) < 0 && errno != EEXIST) {
		*why = xasprintf("cannot create %s: %s", path, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	struct stat st;
	if (stat(path, &st) < 0) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*why = xasprintf("%s is not a directory", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		*why = xasprintf("%s belongs to another user (uid %ld): refusing to use it; remove it or choose another directory",
				 path, (long)st.st_uid);
		return -1;
	}
	if (st.st_mode & 022) {
		*why = xasprintf("%s is writable by others (mode %03o): refusing to use it; chmod go-w it or choose another directory",
				 path, (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

/* ---- output files ---- */

enum wkind { WK_FD, WK_THROUGH, WK_REPLACE, WK_NEW };

/* The descriptor a name stands for (see util.h), or -1. */
static int fd_name(const char *path)
{
	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return 1;
	if (!strcmp(path, "/dev/stderr"))
		return 2;
	const char *n = !strncmp(path, "/dev/fd/", 8) ? path + 8 : !strncmp(path, "/proc/self/fd/", 14) ? path + 14 : NULL;
	if (!n || !*n || strlen(n) > 6)
		return -1;
	int fd = 0;
	for (; *n; n++) {
		if (*n < '0' || *n > '9')
			return -1;
		fd = fd * 10 + (*n - '0');
	}
	return fd;
}

static int wfail(char **why, int e, char *msg)
{
	*why = msg;
	errno = e;
	return -1;
}

/* What writing to path means; fills *st for an existing file and *fd for WK_FD. */
static int wclassify(const char *path, struct stat *st, int *fd, char **why)
{
	*why = NULL;
	if ((*fd = fd_name(path)) >= 0)
		return WK_FD;
	if (!*path)
		return wfail(why, ENOENT, xstrdup("the output file name is empty"));
	if (lstat(path, st) < 0) {
		if (errno != ENOENT)
			return wfail(why, errno, xasprintf("%s: %s", path, strerror(errno)));
		const char *b = path_basename(path);
		if (!*b || !strcmp(b, ".") || !strcmp(b, ".."))
			return wfail(why, EISDIR, xasprintf("%s names a directory, not a file", path));
		return WK_NEW;
	}
	if (S_ISLNK(st->st_mode)) {
		char t[4096];
		ssize_t n = readlink(path, t, sizeof t - 1);
		t[n > 0 ? n : 0] = 0;
		return wfail(why, ELOOP, xasprintf("%s is a symbolic link (to '%s'): refusing to write through it; "
						   "give the target's own path, or remove the link", path, t));
	}
	if (S_ISDIR(st->st_mode))
		return wfail(why, EISDIR, xasprintf("%s is a directory, not a file", path));
	if (S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode))
		return WK_THROUGH;
	if (!S_ISREG(st->st_mode))
		return wfail(why, EINVAL, xasprintf("%s is not a regular file, a FIFO or a character device: refusing to write to it",
						    path));
	return WK_REPLACE;
}

/* A fresh name for the temp file: ".BASE.XXXXXXXX" beside path. */
static char *temp_name(const char *path)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[10];
	if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 32) ^ (uintptr_t)r;
		for (size_t i = 0; i < sizeof r; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			r[i] ^= (unsigned char)(x >> 33);
	}
	char sfx[sizeof r + 1];
	for (size_t i = 0; i < sizeof r; i++)
		sfx[i] = al[r[i] % (sizeof al - 1)];
	sfx[sizeof r] = 0;
	char *dir = path_dirname(path);
	const char *b = path_basename(path);
	/* NAME_MAX is 255: keep room for the dot and the suffix */
	char *t = xasprintf("%s/.%.200s.%s", dir, b, sfx);
	free(dir);
	return t;
}

int wfile_open(struct wfile *w, const char *path, char **why)
{
	memset(w, 0, sizeof *w);
	struct stat st;
	int fd;
	int k = wclassify(path, &st, &fd, why);
	if (k < 0)
		return -1;
	if (k == WK_FD && (fd == 1 || fd == 2)) {
		w->f = fd == 1 ? stdout : stderr;
		w->borrowed = true;
		w->path = xstrdup(path);
		return 0;
	}
	int d = -1;
	if (k == WK_FD) {
		if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
			return wfail(why, errno, xasprintf("%s: descriptor %d is not open: %s", path, fd, strerror(errno)));
	} else if (k == WK_THROUGH) {
		struct stat now;
		if ((d = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC)) < 0)
			return wfail(why, errno, xasprintf("cannot write %s: %s", path, strerror(errno)));
		if (fstat(d, &now) < 0 || now.st_ino != st.st_ino || now.st_dev != st.st_dev) {
			close(d);
			return wfail(why, EAGAIN, xasprintf("%s changed while it was being opened", path));
		}
	} else {
		for (int tries = 0; d < 0 && tries < 100; tries++) {
			free(w->tmp);
			w->tmp = temp_name(path);
			d = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
			if (d < 0 && errno != EEXIST) {
				int e = errno;
				free(w->tmp);
				w->tmp = NULL;
				return wfail(why, e, xasprintf("cannot write %s: %s", path, strerror(e)));
			}
		}
		if (d < 0) {
			free(w->tmp);
			w->tmp = NULL;
			return wfail(why, EEXIST, xasprintf("cannot write %s: no free temp name beside it", path));
		}
		if (k == WK_REPLACE)
			(void)fchmod(d, st.st_mode & 0777);	/* the file keeps its permissions */
	}
	if (!(w->f = fdopen(d, "w"))) {
		int e = errno;
		close(d);
		if (w->tmp)
			unlink(w->tmp);
		free(w->tmp);
		w->tmp = NULL;
		return wfail(why, e, xasprintf("cannot write %s: %s", path, strerror(e)));
	}
	w->path = xstrdup(path);
	return 0;
}

int wfile_commit(struct wfile *w, char **why)
{
	*why = NULL;
	int e = 0;
	if (fflush(w->f) != 0 || ferror(w->f))
		e = errno ? errno : EIO;
	if (!e && w->tmp && fsync(fileno(w->f)) != 0)
		e = errno;
	if (!w->borrowed && fclose(w->f) != 0 && !e)
		e = errno ? errno : EIO;
	w->f = NULL;
	if (!e && w->tmp && rename(w->tmp, w->path) != 0)
		e = errno;
	if (e && w->tmp)
		unlink(w->tmp);
	if (e)
		*why = xasprintf("cannot write %s: %s", w->path, strerror(e));
	free(w->tmp);
	free(w->path);
	w->tmp = w->path = NULL;
	errno = e;
	return e ? -1 : 0;
}

void wfile_abort(struct wfile *w)
{
	if (w->f && !w->borrowed)
		fclose(w->f);
	else if (w->f)
		fflush(w->f);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->path);
	memset(w, 0, sizeof *w);
}

int wfile_check(const char *path, char **why)
{
	struct stat st;
	int fd;
	int k = wclassify(path, &st, &fd, why);
	if (k < 0)
		return -1;
	if (k == WK_FD) {
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
			return wfail(why, EBADF, xasprintf("%s: descriptor %d is not open for writing", path, fd));
		return 0;
	}
	if (k == WK_THROUGH)
		return access(path, W_OK) == 0 ? 0 : wfail(why, errno, xasprintf("cannot write %s: %s", path, strerror(errno)));
	char *dir = path_dirname(path);
	int rc = 0;
	if (!path_is_dir(dir))
		rc = wfail(why, ENOENT, xasprintf("cannot write %s: directory %s does not exist", path, dir));
	else if (access(dir, W_OK | X_OK) != 0)
		rc = wfail(why, errno, xasprintf("cannot write %s: directory %s: %s", path, dir, strerror(errno)));
	free(dir);
	return rc;
}
