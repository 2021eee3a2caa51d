/* net.c - see net.h. */
#define _GNU_SOURCE
#include "net.h"
#include "tree.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void net_opts_init(struct net_opts *o)
{
	memset(o, 0, sizeof *o);
	o->connect_timeout = 10;
	o->total_timeout = 300;
	o->max_size = 512LL << 20;
	o->retries = 3;
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	if (x && *x)
		o->cache_dir = xasprintf("%s/wasmatrix", x);
	else
		o->cache_dir = xasprintf("%s/.cache/wasmatrix", h && *h ? h : "/tmp");
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

int net_sha256_file(const char *path, char out[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
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

struct sink {
	FILE *f;
	EVP_MD_CTX *md;
	long long got, max;
	bool too_big;
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
	if (s->f && fwrite(p, 1, n, s->f) != n)
		return 0;
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
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, o->allow_http ? "https,http" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, o->allow_http ? "https,http" : "https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "wasmatrix/" "0.1");
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

static char *describe(CURLcode rc, long status, const char *errbuf, const struct sink *s, const struct net_opts *o)
{
	if (s && s->too_big)
		return xasprintf("larger than the %lld-byte limit (--max-size)", o->max_size);
	if (rc == CURLE_FILESIZE_EXCEEDED)
		return xasprintf("larger than the %lld-byte limit (--max-size)", o->max_size);
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		return xasprintf("protocol not allowed (%s); plain http needs --allow-http", *errbuf ? errbuf : curl_easy_strerror(rc));
	if (rc == CURLE_TOO_MANY_REDIRECTS)
		return xstrdup("too many redirects (a redirect loop?)");
	if (rc != CURLE_OK)
		return xasprintf("%s", *errbuf ? errbuf : curl_easy_strerror(rc));
	return xasprintf("HTTP status %ld", status);
}

static int download(const char *url, const char *tmp, const struct net_opts *o, char got_hex[65], char **why)
{
	int attempts = 1 + (o->retries > 0 ? o->retries : 0);
	for (int a = 0; a < attempts; a++) {
		if (a)
			backoff(a - 1);
		FILE *f = fopen(tmp, "wb");
		if (!f) {
			*why = xasprintf("cannot write %s: %s", tmp, strerror(errno));
			return -1;
		}
		CURL *c = curl_easy_init();
		char errbuf[CURL_ERROR_SIZE] = "";
		struct sink s = { f, EVP_MD_CTX_new(), 0, o->max_size > 0 ? o->max_size : (1LL << 62), false };
		EVP_DigestInit_ex(s.md, EVP_sha256(), NULL);
		configure(c, url, o, errbuf);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		bool wrote = fclose(f) == 0;
		unsigned char d[32];
		unsigned dl = 0;
		EVP_DigestFinal_ex(s.md, d, &dl);
		EVP_MD_CTX_free(s.md);
		curl_easy_cleanup(c);
		if (rc == CURLE_OK && status >= 200 && status < 300 && wrote) {
			hex(d, dl, got_hex);
			return 0;
		}
		free(*why);
		*why = describe(rc, status, errbuf, &s, o);
		if (s.too_big || !transient(rc, status) || a + 1 == attempts)
			break;
		if (!o->quiet)
			fprintf(stderr, "wasmatrix: %s: %s; retrying (%d of %d)\n", url, *why, a + 1, attempts - 1);
	}
	unlink(tmp);
	char *w = *why;
	*why = xasprintf("%s: %s", url, w);
	free(w);
	return -1;
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
	char *dir = path_join(o->cache_dir, "sha256");
	char *dest = path_join(dir, sha256);
	char have[65];
	if (path_is_file(dest)) {
		if (net_sha256_file(dest, have) == 0 && !strcmp(have, sha256)) {
			*path = dest;
			free(dir);
			return 0;
		}
		unlink(dest);	/* corrupt: never serve it */
	}
	if (o->offline) {
		*why = xasprintf("%s: not in the cache (%s) and --offline is set", url, dest);
		free(dir);
		free(dest);
		return -1;
	}
	if (mkdir_p(dir) < 0) {
		*why = xasprintf("cannot create the cache directory %s: %s", dir, strerror(errno));
		free(dir);
		free(dest);
		return -1;
	}
	char *tmp = xasprintf("%s/.part-%s-%ld", dir, sha256, (long)getpid());
	char got[65];
	int rc = download(url, tmp, o, got, why);
	if (rc == 0 && strcmp(got, sha256)) {
		*why = xasprintf("%s: sha256 mismatch: expected %s, got %s (nothing was cached)", url, sha256, got);
		unlink(tmp);
		rc = -1;
	}
	if (rc == 0 && rename(tmp, dest) < 0) {
		*why = xasprintf("cannot move the download into %s: %s", dest, strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	free(dir);
	if (rc == 0)
		*path = dest;
	else
		free(dest);
	return rc;
}

int net_unpack(const char *archive_path, const char *dest, char **why)
{
	struct archive *a = archive_read_new(), *w = archive_write_disk_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	/* entry names are checked below and then prefixed with the (canonical) destination,
	 * so absolute paths are ours; ".." and symlinked parents are still refused */
	archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
					   ARCHIVE_EXTRACT_TIME);
	int rc = 0;
	char *canon = NULL;
	*why = NULL;
	if (mkdir_p(dest) < 0) {
		*why = xasprintf("cannot create %s: %s", dest, strerror(errno));
		rc = -1;
	} else if (!(canon = realpath(dest, NULL))) {
		*why = xasprintf("%s: %s", dest, strerror(errno));
		rc = -1;
	} else if (archive_read_open_filename(a, archive_path, 65536) != ARCHIVE_OK) {
		*why = xasprintf("%s: %s", archive_path, archive_error_string(a));
		rc = -1;
	}
	struct archive_entry *e;
	char *ename = NULL;	/* the entry's name as in the archive: set_pathname frees it */
	while (rc == 0) {
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK) {
			*why = xasprintf("%s: %s", archive_path, archive_error_string(a));
			rc = -1;
			break;
		}
		free(ename);
		const char *name = ename = xstrdup(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
		/* refuse before writing: absolute, "..", device files, hard links out of the tree */
		bool dotdot = !strcmp(name, "..") || !strncmp(name, "../", 3) || strstr(name, "/../") ||
			      (strlen(name) >= 3 && !strcmp(name + strlen(name) - 3, "/.."));
		const char *hl = archive_entry_hardlink(e), *sl = archive_entry_symlink(e);
		mode_t type = archive_entry_filetype(e);
		if (name[0] == '/' || dotdot || (hl && (hl[0] == '/' || strstr(hl, ".."))) ||
		    (sl && (sl[0] == '/' || !strncmp(sl, "../", 3) || strstr(sl, "/../"))) ||
		    !(type == AE_IFREG || type == AE_IFDIR || type == AE_IFLNK)) {
			*why = xasprintf("%s: refusing entry '%s' (absolute path, '..', a link leaving the tree or a special file)",
					 archive_path, name);
			rc = -1;
			break;
		}
		char *full = path_join(canon, name);
		archive_entry_set_pathname(e, full);
		if (hl) {
			char *hfull = path_join(canon, hl);
			archive_entry_set_hardlink(e, hfull);
			free(hfull);
		}
		archive_entry_set_perm(e, archive_entry_perm(e) & 0755);
		free(full);
		if (archive_write_header(w, e) != ARCHIVE_OK) {
			*why = xasprintf("%s: %s", name, archive_error_string(w));
			rc = -1;
			break;
		}
		const void *buf;
		size_t size;
		la_int64_t off;
		while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK)
			if (archive_write_data_block(w, buf, size, off) != ARCHIVE_OK) {
				r = ARCHIVE_FATAL;
				break;
			}
		if (r != ARCHIVE_EOF) {
			*why = xasprintf("%s: %s", name, archive_error_string(a) ? archive_error_string(a) : "write failed");
			rc = -1;
			break;
		}
		archive_write_finish_entry(w);
	}
	free(ename);
	/* links are refused by their text above; the tree as written is checked as fixtures are */
	if (rc == 0 && tree_check(canon, why) < 0) {
		char *w = *why;
		*why = xasprintf("%s: %s", archive_path, w);
		free(w);
		rc = -1;
	}
	archive_read_free(a);
	archive_write_free(w);
	free(canon);
	return rc;
}

int net_fetch_tree(const char *url, const char *sha256, const struct net_opts *o, char **dir, char **why)
{
	char *file;
	*dir = NULL;
	if (net_fetch(url, sha256, o, &file, why) < 0)
		return -1;
	char *base = path_join(o->cache_dir, "unpacked"), *dest = path_join(base, sha256);
	int rc = 0;
	if (!path_is_dir(dest)) {
		char *tmp = xasprintf("%s/.part-%s-%ld", base, sha256, (long)getpid());
		remove_tree(tmp);
		if (net_unpack(file, tmp, why) < 0 || rename(tmp, dest) < 0) {
			if (!*why)
				*why = xasprintf("cannot move the unpacked tree into %s: %s", dest, strerror(errno));
			remove_tree(tmp);
			rc = -1;
		}
		free(tmp);
	}
	free(file);
	free(base);
	if (rc == 0)
		*dir = dest;
	else
		free(dest);
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
		struct sink s = { NULL, NULL, 0, 1LL << 40, false };
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
		*why = describe(rc, *status, errbuf, NULL, o);
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
