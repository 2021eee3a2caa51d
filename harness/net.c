/* net.c - see net.h. */
#define _GNU_SOURCE
#include "net.h"
#include "suitetree.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void net_opts_init(struct net_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout = 10;
	o->total_timeout = 300;
	o->stall_timeout = 30;
	o->max_size = 512LL << 20;
	o->max_entries = NET_MAX_ENTRIES;
	o->retries = 3;
	/* XDG: a relative $XDG_CACHE_HOME is invalid and ignored; then $HOME, then the
	 * password database. Never a shared directory such as /tmp. */
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	if (x && x[0] == '/')
		o->cache_dir = xasprintf("%s/wasmatrix", x);
	else if (h && h[0] == '/')
		o->cache_dir = xasprintf("%s/.cache/wasmatrix", h);
	else {
		struct passwd pw, *res = NULL;
		char b[4096];
		if (getpwuid_r(getuid(), &pw, b, sizeof b, &res) == 0 && res && pw.pw_dir && pw.pw_dir[0] == '/')
			o->cache_dir = xasprintf("%s/.cache/wasmatrix", pw.pw_dir);
	}
}

void net_opts_release(struct net_opts *o)
{
	free(o->cache_dir);
	o->cache_dir = NULL;
}

bool net_is_url(const char *s)
{
	return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7);
}

bool net_sha256_valid(const char *hex)
{
	size_t n = 0;
	for (; hex[n]; n++)
		if (!((hex[n] >= '0' && hex[n] <= '9') || (hex[n] >= 'a' && hex[n] <= 'f')))
			return false;
	return n == 64;
}

static void hex(const unsigned char *d, unsigned n, char out[65])
{
	for (unsigned i = 0; i < n && i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	out[64] = 0;
}

/* sha256 of what is left to read from fd, which it closes: 0 with out, or -1. */
static int sha256_fd(int fd, char out[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	char b[65536];
	ssize_t n;
	while ((n = read(fd, b, sizeof b)) > 0)
		EVP_DigestUpdate(c, b, (size_t)n);
	unsigned char d[32];
	unsigned dl = 0;
	EVP_DigestFinal_ex(c, d, &dl);
	EVP_MD_CTX_free(c);
	close(fd);
	if (n < 0)
		return -1;
	hex(d, dl, out);
	return 0;
}

int net_sha256_file(const char *path, char out[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -1 : sha256_fd(fd, out);
}

struct sink {
	int fd;			/* -1: the body is discarded */
	EVP_MD_CTX *md;
	long long got, max;
	bool too_big, write_failed;
	int write_errno;
};

static size_t on_data(char *p, size_t sz, size_t nm, void *ud)
{
	struct sink *s = ud;
	size_t n = sz * nm;
	if (s->got + (long long)n > s->max) {
		s->too_big = true;
		return 0;	/* aborts the transfer */
	}
	s->got += (long long)n;
	if (s->md)
		EVP_DigestUpdate(s->md, p, n);
	for (size_t off = 0; s->fd >= 0 && off < n;) {
		ssize_t w = write(s->fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->write_failed = true;
			s->write_errno = w < 0 ? errno : ENOSPC;
			return 0;
		}
		off += (size_t)w;
	}
	return n;
}

static void configure(CURL *c, const char *url, const struct net_opts *o, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->total_timeout * 1000));
	/* a stalled or trickling server: slower than NET_STALL_RATE bytes/s for the whole
	 * stall window ends the attempt (curl measures the rate each second) */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)NET_STALL_RATE);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->stall_timeout < 1 ? 1L : o->stall_timeout);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, o->allow_http ? "https,http" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, o->allow_http ? "https,http" : "https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "wasmatrix/" WM_VERSION);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 0L);
	if (o->max_size > 0)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
}

static bool transient(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status >= 500 || status == 429 || status == 408;
	return rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT || rc == CURLE_RECV_ERROR ||
	       rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE || rc == CURLE_GOT_NOTHING ||
	       rc == CURLE_COULDNT_RESOLVE_HOST;
}

static void backoff(int attempt)
{
	/* 0.25 s, 0.5 s, 1 s, ... capped at 8 s */
	double s = 0.25 * (double)(1 << (attempt < 5 ? attempt : 5));
	if (s > 8)
		s = 8;
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	nanosleep(&ts, NULL);
}

static char *describe(CURLcode rc, long status, const char *errbuf, const struct sink *s, const struct net_opts *o,
		      double took)
{
	if (s && s->too_big)
		return xasprintf("larger than the %lld-byte limit (--max-size)", o->max_size);
	if (s && s->write_failed)
		return xasprintf("cannot write to the cache: %s", strerror(s->write_errno));
	if (rc == CURLE_FILESIZE_EXCEEDED)
		return xasprintf("larger than the %lld-byte limit (--max-size)", o->max_size);
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return xasprintf("protocol not allowed (%s); plain http needs --allow-http", *errbuf ? errbuf : curl_easy_strerror(rc));
	if (rc == CURLE_TOO_MANY_REDIRECTS)
		return xstrdup("too many redirects (a redirect loop?)");
	if (rc == CURLE_OPERATION_TIMEDOUT && took < o->total_timeout - 0.05 && strstr(errbuf, "too slow"))
		return xasprintf("stalled: less than %d bytes/s for %ld s (--stall-timeout)", NET_STALL_RATE, o->stall_timeout);
	if (rc != CURLE_OK)
		return xasprintf("%s", *errbuf ? errbuf : curl_easy_strerror(rc));
	return xasprintf("HTTP status %ld", status);
}

static int download(const char *url, int fd, const struct net_opts *o, char got_hex[65], char **why)
{
	int attempts = 1 + (o->retries > 0 ? o->retries : 0);
	for (int a = 0; a < attempts; a++) {
		if (a)
			backoff(a - 1);
		if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
			*why = xasprintf("%s: cannot write to the cache: %s", url, strerror(errno));
			return -1;
		}
		CURL *c = curl_easy_init();
		char errbuf[CURL_ERROR_SIZE] = "";
		struct sink s = { fd, EVP_MD_CTX_new(), 0, o->max_size > 0 ? o->max_size : (1LL << 62), false, false, 0 };
		EVP_DigestInit_ex(s.md, EVP_sha256(), NULL);
		configure(c, url, o, errbuf);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
		double t0 = now_seconds();
		CURLcode rc = curl_easy_perform(c);
		double took = now_seconds() - t0;
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		unsigned char d[32];
		unsigned dl = 0;
		EVP_DigestFinal_ex(s.md, d, &dl);
		EVP_MD_CTX_free(s.md);
		curl_easy_cleanup(c);
		if (rc == CURLE_OK && status >= 200 && status < 300 && fsync(fd) == 0) {
			hex(d, dl, got_hex);
			return 0;
		}
		free(*why);
		*why = describe(rc, status, errbuf, &s, o, took);
		if (s.too_big || s.write_failed || !transient(rc, status) || a + 1 == attempts)
			break;
		if (!o->quiet)
			fprintf(stderr, "wasmatrix: %s: %s; retrying (%d of %d)\n", url, *why, a + 1, attempts - 1);
	}
	char *w = *why;
	*why = xasprintf("%s: %s", url, w);
	free(w);
	return -1;
}

/* ---- the cache ----
 * <cache>/sha256/<hex>     downloads, named by their verified hash
 * <cache>/unpacked/<hex>   the archive <hex> unpacked, checked against it before each use
 * Work in progress lives beside them as ".part-XXXXXX" (a file or a directory), created
 * with an unguessable name and held under an exclusive flock(2) while in use; a partial
 * nobody holds is left over from a killed process and is swept by the next fetch. */

/* Creates the cache directories (0700, ours, not writable by others) and sweeps. */
static int cache_ready(const struct net_opts *o, char **why)
{
	if (!o->cache_dir) {
		*why = xstrdup("no cache directory: set XDG_CACHE_HOME or HOME (an absolute path); "
			       "wasmatrix does not fall back to a shared directory");
		return -1;
	}
	static const char *const subs[] = { "sha256", "unpacked" };
	if (fs_mkdir_private(o->cache_dir, why) < 0)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		char *d = path_join(o->cache_dir, subs[i]);
		int rc = fs_mkdir_private(d, why);
		if (rc == 0)
			net_sweep_partials(d);
		free(d);
		if (rc < 0)
			return -1;
	}
	return 0;
}

void net_sweep_partials(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, ".part-", 6))
			continue;
		int fd = openat(dirfd(dp), de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* nobody holds it: left by a process that died */
			char *p = path_join(dir, de->d_name);
			fs_remove_tree(p);
			free(p);
		}
		close(fd);
	}
	closedir(dp);
}

/* Locks a partial just created at path (fd open on it): 0, or -1 when a sweeper removed
 * it before the lock was taken (the caller makes another). */
static int hold_partial(int fd)
{
	struct stat st;
	if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0)
		return -1;
	return st.st_nlink > 0 ? 0 : -1;
}

int net_cached(const char *sha256, const struct net_opts *o, char **path, char **why)
{
	*path = NULL;
	*why = NULL;
	if (!net_sha256_valid(sha256)) {
		*why = xasprintf("sha256 must be 64 lower-case hex digits, not '%s'", sha256);
		return -1;
	}
	if (cache_ready(o, why) < 0)
		return -1;
	char *dest = path_join(o->cache_dir, "sha256");
	char *file = path_join(dest, sha256);
	free(dest);
	char have[65];
	struct stat st;
	if (lstat(file, &st) == 0) {
		if (S_ISREG(st.st_mode) && net_sha256_file(file, have) == 0 && !strcmp(have, sha256)) {
			*path = file;
			return 0;
		}
		fs_remove_tree(file);	/* corrupt or not a file: never serve it */
		*why = xasprintf("%s did not match its sha256 and was removed", file);
	} else {
		*why = xasprintf("%s is not there", file);
	}
	free(file);
	return 1;
}

int net_fetch(const char *url, const char *sha256, const struct net_opts *o, char **path, char **why)
{
	*path = NULL;
	*why = NULL;
	if (!net_sha256_valid(sha256)) {
		*why = xasprintf("sha256 must be 64 lower-case hex digits, not '%s'", sha256);
		return -1;
	}
	if (!net_is_url(url)) {
		*why = xasprintf("'%s' is not an http(s) URL", url);
		return -1;
	}
	if (!strncmp(url, "http://", 7) && !o->allow_http) {
		*why = xasprintf("%s: plain http is refused; use https or pass --allow-http", url);
		return -1;
	}
	char *cwhy = NULL;
	int have = net_cached(sha256, o, path, &cwhy);
	if (have <= 0) {
		*why = cwhy;
		return have;
	}
	free(cwhy);
	char *dir = path_join(o->cache_dir, "sha256");
	char *dest = path_join(dir, sha256);
	if (o->offline) {
		*why = xasprintf("%s: not in the cache (%s) and --offline is set", url, dest);
		free(dir);
		free(dest);
		return -1;
	}
	char *tmp = NULL;
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 10; tries++) {
		free(tmp);
		tmp = path_join(dir, ".part-XXXXXX");
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
			break;
		if (hold_partial(fd) < 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		*why = xasprintf("cannot write in the cache %s: %s", dir, strerror(errno));
		free(tmp);
		free(dir);
		free(dest);
		return -1;
	}
	char got[65];
	int rc = download(url, fd, o, got, why);
	if (rc == 0 && strcmp(got, sha256)) {
		*why = xasprintf("%s: sha256 mismatch: expected %s, got %s (nothing was cached)", url, sha256, got);
		rc = -1;
	}
	if (rc == 0 && rename(tmp, dest) < 0) {
		*why = xasprintf("cannot move the download into %s: %s", dest, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	close(fd);
	free(tmp);
	free(dir);
	if (rc == 0)
		*path = dest;
	else
		free(dest);
	return rc;
}

/* ---- archives ---- */

/* A member name for a message: bytes outside printable ASCII as \xNN. */
static char *visible(const char *s)
{
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p && b.len < 300; p++)
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			buf_addc(&b, (char)*p);
		else
			buf_addf(&b, "\\x%02x", *p);
	return buf_detach(&b);
}

/* A member name made relative and canonical ("./a//b/" -> "a/b"), or NULL when it is
 * absolute or has a ".." component. "" is the root itself. */
static char *member_name(const char *name)
{
	if (!name || name[0] == '/')
		return NULL;
	struct buf b = BUF_INIT;
	const char *p = name;
	while (*p) {
		size_t l = strcspn(p, "/");
		if (l == 2 && !strncmp(p, "..", 2)) {
			buf_release(&b);
			return NULL;
		}
		if (l && !(l == 1 && *p == '.')) {
			if (b.len)
				buf_addc(&b, '/');
			buf_add(&b, p, l);
		}
		p += l;
		while (*p == '/')
			p++;
	}
	return buf_detach(&b);
}

/* Does the symlink at root/rel resolve (following the links inside the tree as the
 * kernel would, then lexically where the path does not exist) to a place inside root?
 * root must be canonical. */
static bool link_stays_inside(const char *root, const char *rel)
{
	struct buf cur = BUF_INIT, todo = BUF_INIT;
	char *d = path_dirname(rel);
	if (strcmp(d, "."))
		buf_adds(&cur, d);
	free(d);
	char *full = path_join(root, rel), t[4096];
	ssize_t n = readlink(full, t, sizeof t - 1);
	free(full);
	bool inside = n > 0 && t[0] != '/';
	if (inside) {
		t[n] = 0;
		buf_adds(&todo, t);
	}
	bool exists = true;
	int hops = 0;
	while (inside && todo.len) {
		size_t l = strcspn(todo.data, "/");
		char *c = xstrndup(todo.data, l);
		size_t skip = l + (todo.data[l] == '/');
		memmove(todo.data, todo.data + skip, todo.len - skip + 1);
		todo.len -= skip;
		if (!*c || !strcmp(c, ".")) {
			free(c);
			continue;
		}
		if (!strcmp(c, "..")) {
			free(c);
			if (!cur.len) {
				inside = false;	/* above the root */
				break;
			}
			char *sl = strrchr(cur.data, '/');
			cur.len = sl ? (size_t)(sl - cur.data) : 0;
			cur.data[cur.len] = 0;
			continue;
		}
		size_t before = cur.len;
		if (cur.len)
			buf_addc(&cur, '/');
		buf_adds(&cur, c);
		free(c);
		if (!exists)
			continue;
		char *p = path_join(root, cur.data);
		struct stat st;
		if (lstat(p, &st) < 0) {
			exists = false;	/* the rest is a name that does not exist (yet): lexical */
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(p, t, sizeof t - 1);
			if (n <= 0 || t[0] == '/' || ++hops > 40) {
				inside = false;
			} else {
				t[n] = 0;
				cur.len = before;
				cur.data[cur.len] = 0;
				struct buf nt = BUF_INIT;
				buf_adds(&nt, t);
				if (todo.len) {
					buf_addc(&nt, '/');
					buf_add(&nt, todo.data, todo.len);
				}
				buf_release(&todo);
				todo = nt;
			}
		}
		free(p);
	}
	buf_release(&cur);
	buf_release(&todo);
	return inside;
}

/* Walks the tree under root (not following links): every symlink must stay inside, and
 * only directories, regular files and symlinks may be there. With 'expect' (a set of
 * the archive's non-directory members), nothing else may be there either. */
static int check_tree(const char *root, const char *rel, json_t *expect, char **why)
{
	char *path = *rel ? path_join(root, rel) : xstrdup(root);
	DIR *dp = opendir(path);
	free(path);
	if (!dp) {
		*why = xasprintf("cannot read %s/%s: %s", root, rel, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dp))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		struct stat st;
		if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*why = xasprintf("%s: %s", sub, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = check_tree(root, sub, expect, why);
		} else if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			*why = xasprintf("'%s' is not a regular file, a directory or a symlink", sub);
			rc = -1;
		} else if (expect && !json_is_true(json_object_getn(expect, sub, strlen(sub)))) {
			*why = xasprintf("'%s' is not in the archive", sub);
			rc = -1;
		} else if (S_ISLNK(st.st_mode) && !link_stays_inside(root, sub)) {
			*why = xasprintf("refusing symlink '%s': its target leaves the archive's tree", sub);
			rc = -1;
		}
		free(sub);
	}
	closedir(dp);
	return rc;
}

/* Opens the parent directory of root/rel without following any symlink on the way;
 * *last is the final component (inside rel). -1 with errno. */
static int open_parent(int rootfd, const char *rel, const char **last)
{
	int fd = dup(rootfd);
	const char *p = rel;
	for (;;) {
		const char *sl = strchr(p, '/');
		if (!sl)
			break;
		char *c = xstrndup(p, (size_t)(sl - p));
		int nfd = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		free(c);
		close(fd);
		if (nfd < 0)
			return -1;
		fd = nfd;
		p = sl + 1;
	}
	*last = p;
	return fd;
}

struct digest {
	EVP_MD_CTX *md;
	long long pos;
};

static void digest_zeros(struct digest *g, long long upto)
{
	static const char z[4096];
	while (g->pos < upto) {
		long long k = upto - g->pos > (long long)sizeof z ? (long long)sizeof z : upto - g->pos;
		EVP_DigestUpdate(g->md, z, (size_t)k);
		g->pos += k;
	}
}

/* The cached copy of one member matches it: 0, or -1 with *why. */
static int verify_member(int rootfd, const char *rel, mode_t type, const char *hl, const char *sl,
			 const char *want_hex, char **why)
{
	const char *last;
	int pfd = open_parent(rootfd, rel, &last);
	struct stat st;
	int rc = -1;
	if (pfd < 0 || fstatat(pfd, last, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		*why = xasprintf("'%s' is missing", rel);
	} else if (hl) {
		const char *hlast;
		int hfd = open_parent(rootfd, hl, &hlast);
		struct stat hs;
		if (hfd >= 0 && fstatat(hfd, hlast, &hs, AT_SYMLINK_NOFOLLOW) == 0 && hs.st_ino == st.st_ino &&
		    hs.st_dev == st.st_dev)
			rc = 0;
		else
			*why = xasprintf("'%s' is no longer a link to '%s'", rel, hl);
		if (hfd >= 0)
			close(hfd);
	} else if (type == AE_IFDIR) {
		rc = S_ISDIR(st.st_mode) ? 0 : -1;
		if (rc)
			*why = xasprintf("'%s' is no longer a directory", rel);
	} else if (type == AE_IFLNK) {
		char t[4096];
		ssize_t n = S_ISLNK(st.st_mode) ? readlinkat(pfd, last, t, sizeof t - 1) : -1;
		if (n >= 0)
			t[n] = 0;
		rc = n >= 0 && !strcmp(t, sl) ? 0 : -1;
		if (rc)
			*why = xasprintf("symlink '%s' changed", rel);
	} else {
		int fd = S_ISREG(st.st_mode) ? openat(pfd, last, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
		char have[65] = "";
		if (fd >= 0 && sha256_fd(fd, have) < 0)
			have[0] = 0;
		rc = !strcmp(have, want_hex) ? 0 : -1;
		if (rc)
			*why = xasprintf("'%s' was modified", rel);
	}
	if (pfd >= 0)
		close(pfd);
	return rc;
}

enum walk { W_CENSUS, W_EXTRACT, W_VERIFY };

/* Reads the archive member by member with the same checks every time: W_CENSUS reads
 * only the headers (names, types, declared sizes, count: most refusals happen before
 * anything is written), W_EXTRACT unpacks into root, W_VERIFY compares root with it.
 * root exists and is canonical. */
static int walk_archive(const char *archive_path, const char *root, enum walk mode, const struct net_opts *o,
			char **why)
{
	bool verify = mode == W_VERIFY;
	struct archive *a = archive_read_new(), *w = mode == W_EXTRACT ? archive_write_disk_new() : NULL;
	/* tar and zip only, with the built-in decompressors: libarchive's other readers can
	 * pull file contents from the host (mtree) or run external programs (lrzip, lzop) */
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_zip(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_zstd(a);
	if (w)
		/* entry names are checked below and then prefixed with the (canonical) root, so
		 * absolute paths are ours; ".." and symlinked parents are still refused */
		archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
						   ARCHIVE_EXTRACT_TIME);
	int rc = 0, rootfd = -1;
	json_t *seen = json_object();
	long long total = 0, max_total = o->max_size > 0 ? o->max_size : (1LL << 62);
	size_t entries = 0;
	*why = NULL;
	if (verify && (rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		*why = xasprintf("%s: %s", root, strerror(errno));
		rc = -1;
	} else if (archive_read_open_filename(a, archive_path, 65536) != ARCHIVE_OK) {
		*why = xasprintf("%s: %s", archive_path, archive_error_string(a));
		rc = -1;
	}
	struct archive_entry *e;
	while (rc == 0) {
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			*why = xasprintf("%s: %s", archive_path, archive_error_string(a));
			rc = -1;
			break;
		}
		/* copies: archive_entry_set_pathname() below frees the entry's own strings */
		const char *raw = archive_entry_pathname(e);
		char *shown = visible(raw ? raw : "(no name)");
		char *name = member_name(raw);
		const char *hl0 = archive_entry_hardlink(e), *sl0 = archive_entry_symlink(e);
		char *hl = hl0 ? member_name(hl0) : NULL, *sl = sl0 ? xstrdup(sl0) : NULL;
		mode_t type = archive_entry_filetype(e);
		const char *bad = NULL;
		json_t *prev;
		if (++entries > o->max_entries)
			bad = "too many entries";
		else if (!name)
			bad = "an absolute path or '..'";
		else if (hl0 && (!hl || !*hl))
			bad = "a hard link leaving the tree";
		else if (!hl && !(type == AE_IFREG || type == AE_IFDIR || type == AE_IFLNK))
			bad = "a special file (device, FIFO or socket)";
		else if (type == AE_IFLNK && (!sl || !*sl || sl[0] == '/'))
			bad = "a symlink with an absolute or empty target";
		else if (*name && (prev = json_object_getn(seen, name, strlen(name))) &&
			 !(type == AE_IFDIR && !hl && json_is_false(prev)))
			bad = "a second member of the same name";
		if (bad) {
			if (entries > o->max_entries)
				*why = xasprintf("%s: more than %zu entries: refusing to unpack it", archive_path, o->max_entries);
			else
				*why = xasprintf("%s: refusing entry '%s' (%s)", archive_path, shown, bad);
			rc = -1;
		} else if (!*name) {
			/* the root itself ("./") */
		} else {
			/* true: a non-directory (checked against the tree in verify mode) */
			json_object_setn_new_nocheck(seen, name, strlen(name), json_boolean(type != AE_IFDIR || hl));
			long long declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0, logical = 0;
			if (declared < 0 || total + declared > max_total) {
				*why = xasprintf("%s: unpacks to more than %lld bytes (--max-size): refusing it", archive_path, max_total);
				rc = -1;
			}
			char *full = path_join(root, name);
			if (rc == 0 && w) {
				archive_entry_set_pathname(e, full);
				if (hl) {
					char *hfull = path_join(root, hl);
					archive_entry_set_hardlink(e, hfull);
					free(hfull);
				}
				archive_entry_set_perm(e, (archive_entry_perm(e) & 0755) | (type == AE_IFDIR ? 0700 : 0600));
				if (archive_write_header(w, e) != ARCHIVE_OK) {
					*why = xasprintf("%s: '%s': %s", archive_path, shown, archive_error_string(w));
					rc = -1;
				}
			}
			free(full);
			struct digest g = { NULL, 0 };
			if (rc == 0 && verify && type == AE_IFREG && !hl) {
				g.md = EVP_MD_CTX_new();
				EVP_DigestInit_ex(g.md, EVP_sha256(), NULL);
			}
			const void *buf;
			size_t size;
			la_int64_t off;
			r = ARCHIVE_EOF;
			while (rc == 0 && mode != W_CENSUS && (r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK) {
				if (off + (long long)size > logical)
					logical = off + (long long)size;
				if (total + (logical > declared ? logical : declared) > max_total) {
					*why = xasprintf("%s: unpacks to more than %lld bytes (--max-size): refusing it", archive_path,
							 max_total);
					rc = -1;
				} else if (w && archive_write_data_block(w, buf, size, off) != ARCHIVE_OK) {
					*why = xasprintf("%s: '%s': %s", archive_path, shown, archive_error_string(w));
					rc = -1;
				} else if (g.md) {
					digest_zeros(&g, off);
					EVP_DigestUpdate(g.md, buf, size);
					g.pos = off + (long long)size;
				}
			}
			if (rc == 0 && r != ARCHIVE_EOF) {
				*why = xasprintf("%s: '%s': %s", archive_path, shown,
						 archive_error_string(a) ? archive_error_string(a) : "read failed");
				rc = -1;
			}
			total += logical > declared ? logical : declared;
			char want[65] = "";
			if (g.md) {
				digest_zeros(&g, declared);
				unsigned char d[32];
				unsigned dl = 0;
				EVP_DigestFinal_ex(g.md, d, &dl);
				EVP_MD_CTX_free(g.md);
				hex(d, dl, want);
			}
			if (rc == 0 && w && archive_write_finish_entry(w) != ARCHIVE_OK) {
				*why = xasprintf("%s: '%s': %s", archive_path, shown, archive_error_string(w));
				rc = -1;
			}
			if (rc == 0 && verify)
				rc = verify_member(rootfd, name, type, hl, sl, want, why);
		}
		free(shown);
		free(name);
		free(hl);
		free(sl);
	}
	archive_read_free(a);
	if (w)
		archive_write_free(w);	/* also sets the directories' final times and modes */
	if (rootfd >= 0)
		close(rootfd);
	/* links are judged on the finished tree, whatever order the members came in */
	if (rc == 0 && mode != W_CENSUS && check_tree(root, "", verify ? seen : NULL, why) < 0) {
		char *m = *why;
		*why = xasprintf("%s: %s", archive_path, m);
		free(m);
		rc = -1;
	}
	json_decref(seen);
	return rc;
}

int net_unpack(const char *archive_path, const char *dest, const struct net_opts *o, char **why)
{
	*why = NULL;
	char *canon = NULL;
	if (fs_mkdir_p(dest) < 0) {
		*why = xasprintf("cannot create %s: %s", dest, strerror(errno));
		return -1;
	}
	if (!(canon = realpath(dest, NULL))) {
		*why = xasprintf("%s: %s", dest, strerror(errno));
		return -1;
	}
	int rc = walk_archive(archive_path, canon, W_CENSUS, o, why);
	if (rc == 0)
		rc = walk_archive(archive_path, canon, W_EXTRACT, o, why);
	free(canon);
	return rc;
}

int net_verify_tree(const char *archive_path, const char *dir, const struct net_opts *o, char **why)
{
	*why = NULL;
	char *canon = realpath(dir, NULL);
	if (!canon) {
		*why = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = walk_archive(archive_path, canon, W_VERIFY, o, why);
	free(canon);
	return rc;
}

/* The unpack directory 'dir' holds the suite-tree marker, a regular file. */
static bool root_marked(const char *dir)
{
	char *m = path_join(dir, SUITETREE_ROOT_MARKER);
	struct stat st;
	bool ok = lstat(m, &st) == 0 && S_ISREG(st.st_mode);
	free(m);
	return ok;
}

static int mark_root(const char *dir, char **why)
{
	char *m = path_join(dir, SUITETREE_ROOT_MARKER);
	int fd = open(m, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		*why = xasprintf("cannot create %s: %s", m, strerror(errno));
	else
		close(fd);
	free(m);
	return fd < 0 ? -1 : 0;
}

int net_fetch_tree(const char *url, const char *sha256, const struct net_opts *o, char **dir, char **why)
{
	char *file;
	*dir = NULL;
	if (net_fetch(url, sha256, o, &file, why) < 0)
		return -1;
	/* unpacked/<sha256>/tree is the archive's content; beside it a SUITETREE_ROOT_MARKER bounds
	 * what its suites may name (suitetree_root), so no marker above the cache counts */
	char *base = path_join(o->cache_dir, "unpacked"), *dest = path_join(base, sha256),
	     *tree = path_join(dest, "tree");
	int rc = -1;
	struct stat st;
	for (int round = 0; rc < 0 && round < 2; round++) {
		free(*why);
		*why = NULL;
		if (lstat(dest, &st) == 0) {
			char *bad = NULL;
			if (S_ISDIR(st.st_mode) && root_marked(dest) && net_verify_tree(file, tree, o, &bad) == 0) {
				rc = 0;
				break;
			}
			if (!o->quiet)
				fprintf(stderr, "wasmatrix: the cached tree %s does not match its archive (%s); unpacking it again\n",
					dest, bad ? bad : "not a directory");
			free(bad);
			/* move it aside first: a concurrent reader sees it whole or not at all */
			char *old = path_join(base, ".part-XXXXXX");
			if (mkdtemp(old) && rename(dest, old) == 0) {
				fs_remove_tree(old);
			} else {
				rmdir(old);
				fs_remove_tree(dest);
			}
			free(old);
		}
		char *tmp = path_join(base, ".part-XXXXXX"), *sub = NULL;
		int fd = -1;
		if (!mkdtemp(tmp) || (fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		    hold_partial(fd) < 0) {
			*why = xasprintf("cannot unpack into %s: %s", base, strerror(errno));
		} else if (mark_root(tmp, why) == 0 && (sub = path_join(tmp, "tree")) && net_unpack(file, sub, o, why) == 0) {
			if (rename(tmp, dest) == 0)
				rc = 0;
			else if (errno != EEXIST && errno != ENOTEMPTY)
				*why = xasprintf("cannot move the unpacked tree into %s: %s", dest, strerror(errno));
			/* else another process put it there first: the next round checks theirs */
		}
		if (rc < 0)
			fs_remove_tree(tmp);
		if (fd >= 0)
			close(fd);
		free(sub);
		free(tmp);
		if (*why)
			break;
	}
	if (rc < 0 && !*why)
		*why = xasprintf("cannot unpack into %s", dest);
	free(file);
	free(base);
	free(dest);
	if (rc == 0)
		*dir = tree;
	else
		free(tree);
	return rc;
}

int net_post(const char *url, const char *body, size_t n, const char *token, const struct net_opts *o,
	     long *status, char **why)
{
	*why = NULL;
	*status = 0;
	if (!net_is_url(url) || (!strncmp(url, "http://", 7) && !o->allow_http)) {
		*why = xasprintf("%s: %s", url, net_is_url(url) ? "plain http is refused; use https or pass --allow-http"
								 : "not an http(s) URL");
		return -1;
	}
	int attempts = 1 + (o->retries > 0 ? o->retries : 0);
	for (int a = 0; a < attempts; a++) {
		if (a)
			backoff(a - 1);
		CURL *c = curl_easy_init();
		char errbuf[CURL_ERROR_SIZE] = "";
		struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
		char *auth = token ? xasprintf("Authorization: Bearer %s", token) : NULL;
		if (auth)
			h = curl_slist_append(h, auth);
		struct buf resp = BUF_INIT;
		buf_init(&resp, 1 << 16);
		configure(c, url, o, errbuf);
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
		struct sink s = { -1, NULL, 0, 1LL << 40, false, false, 0 };
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
		CURLcode rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		curl_easy_cleanup(c);
		curl_slist_free_all(h);
		free(auth);
		buf_release(&resp);
		if (rc == CURLE_OK && *status >= 200 && *status < 300) {
			free(*why);
			*why = NULL;
			return 0;
		}
		free(*why);
		*why = describe(rc, *status, errbuf, NULL, o, 0);
		if (!transient(rc, *status) || a + 1 == attempts)
			break;
		if (!o->quiet)
			fprintf(stderr, "wasmatrix: publish to %s: %s; retrying (%d of %d)\n", url, *why, a + 1, attempts - 1);
	}
	char *w = *why;
	if (*status >= 400 && *status < 500)
		*why = xasprintf("%s: rejected with HTTP %ld (not retried: check the URL and the token)", url, *status);
	else
		*why = xasprintf("%s: %s", url, w);
	free(w);
	return -1;
}
