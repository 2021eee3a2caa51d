/* net.h - the network edge, on libcurl: verified downloads into a content-addressed
 * cache, safe unpacking of suite archives (libarchive), and publishing results.
 * Nothing here is trusted: sizes are capped, hashes checked before anything is used,
 * and a failed download never leaves a cache entry behind. */
#ifndef WM_NET_H
#define WM_NET_H

#include <stdbool.h>
#include <stddef.h>

struct net_opts {
	bool allow_http;	/* plain http only when asked */
	bool offline;		/* the cache only */
	double connect_timeout, total_timeout;	/* seconds, per attempt */
	long stall_timeout;	/* seconds slower than NET_STALL_RATE ending an attempt */
	long long max_size;	/* bytes: a download, and an archive's unpacked total */
	size_t max_entries;	/* members of an archive */
	int retries;		/* extra attempts after the first, on transient failures */
	bool quiet;
	char *cache_dir;	/* $XDG_CACHE_HOME/wasmatrix or ~/.cache/wasmatrix; NULL: none */
};

#define NET_STALL_RATE 1024	/* bytes/s */
#define NET_MAX_ENTRIES 100000	/* members of one archive */

void net_opts_init(struct net_opts *o);	/* defaults, cache dir from the environment */
void net_opts_release(struct net_opts *o);
bool net_is_url(const char *s);
/* Lower-case 64-hex-digit check. */
bool net_sha256_valid(const char *hex);
/* The verified cached copy of a file known by its sha256 (put there by a fetch, or by a
 * script that fills <cache>/sha256/ the same way): 0 with *path; 1 when it is not there,
 * *why says why (a copy that does not match is removed first); -1 with *why when the
 * hash is malformed or there is no usable cache directory. */
int net_cached(const char *sha256, const struct net_opts *o, char **path, char **why);
/* Fetches url into the cache unless a verified copy is there; *path is the cached file.
 * Returns 0, or -1 with *why (malloc'd). */
int net_fetch(const char *url, const char *sha256, const struct net_opts *o, char **path, char **why);
/* Unpacks a tar (gzip, bzip2, xz, lzma, zstd) or zip archive into the directory dest,
 * refusing absolute paths, "..", special files, hard links and symlinks whose resolved
 * target leaves dest, and archives past o->max_size bytes unpacked or o->max_entries
 * members. Returns 0, or -1 with *why (dest may hold part of it: the caller removes it). */
int net_unpack(const char *archive, const char *dest, const struct net_opts *o, char **why);
/* Does dir hold exactly what the archive unpacks to (types, contents, link targets)?
 * 0, or -1 with *why. */
int net_verify_tree(const char *archive, const char *dir, const struct net_opts *o, char **why);
/* Removes the ".part-*" entries of dir that no process holds (see net.c). */
void net_sweep_partials(const char *dir);
/* Fetches and unpacks an archive once; *dir is <cache>/unpacked/<sha256>, checked
 * against the (verified) archive before each use and unpacked again when it differs. */
int net_fetch_tree(const char *url, const char *sha256, const struct net_opts *o, char **dir, char **why);
/* POSTs body (JSON) with an optional bearer token; retries 5xx and timeouts.
 * Returns 0, or -1 with *why; *status is the last HTTP status (0 if none). */
int net_post(const char *url, const char *body, size_t n, const char *token, const struct net_opts *o,
	     long *status, char **why);
/* sha256 of a file as hex into out[65]; 0 or -1. */
int net_sha256_file(const char *path, char out[65]);

#endif
