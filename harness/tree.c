/* tree.c - see tree.h. Walks with openat/fstatat and O_NOFOLLOW so a symlink is
 * always seen as a link, never traversed. */
#define _GNU_SOURCE
#include "tree.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Depth of 'rel' (the link's directory, relative to the root) after applying 'target';
 * negative when it climbs above the root. */
static int link_stays_inside(const char *reldir, const char *target)
{
	if (target[0] == '/')
		return 0;
	int depth = 0;
	for (const char *p = reldir; *p; p++)
		if (*p == '/')
			depth++;
	if (*reldir)
		depth++;
	const char *p = target;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 0;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return 1;
}

/* Walk 'dirfd' (relative path 'rel' inside the root). With dst >= 0, copy into it. */
static int walk(int dirfd, const char *rel, int dstfd, char **why)
{
	DIR *dir = fdopendir(dup(dirfd));
	if (!dir) {
		*why = xasprintf("%s: cannot read directory: %s", *rel ? rel : ".", strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dir))) {
		const char *nm = de->d_name;
		if (!strcmp(nm, ".") || !strcmp(nm, ".."))
			continue;
		char *path = *rel ? xasprintf("%s/%s", rel, nm) : xstrdup(nm);
		struct stat st;
		if (fstatat(dirfd, nm, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*why = xasprintf("%s: %s", path, strerror(errno));
			rc = -1;
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlinkat(dirfd, nm, target, sizeof target - 1);
			if (n < 0) {
				*why = xasprintf("%s: %s", path, strerror(errno));
				rc = -1;
			} else {
				target[n] = 0;
				if (!link_stays_inside(rel, target)) {
					*why = xasprintf("%s: symlink to '%s' leaves the fixture tree", path, target);
					rc = -1;
				} else if (dstfd >= 0 && symlinkat(target, dstfd, nm) < 0) {
					*why = xasprintf("%s: cannot copy symlink: %s", path, strerror(errno));
					rc = -1;
				}
			}
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int dsub = -1;
			if (sub < 0) {
				*why = xasprintf("%s: %s", path, strerror(errno));
				rc = -1;
			} else if (dstfd >= 0) {
				if (mkdirat(dstfd, nm, 0755) < 0 ||
				    (dsub = openat(dstfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
					*why = xasprintf("%s: cannot create copy: %s", path, strerror(errno));
					rc = -1;
				}
			}
			if (rc == 0)
				rc = walk(sub, path, dstfd >= 0 ? dsub : -1, why);
			if (sub >= 0)
				close(sub);
			if (dsub >= 0) {
				fchmod(dsub, st.st_mode & 07777);
				close(dsub);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (dstfd >= 0) {
				int in = openat(dirfd, nm, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
				int out = in < 0 ? -1 : openat(dstfd, nm, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
							       st.st_mode & 0777);
				char b[65536];
				ssize_t n = 0;
				while (in >= 0 && out >= 0 && (n = read(in, b, sizeof b)) > 0)
					if (write(out, b, (size_t)n) != n) {
						n = -1;
						break;
					}
				if (in < 0 || out < 0 || n < 0) {
					*why = xasprintf("%s: cannot copy: %s", path, strerror(errno));
					rc = -1;
				}
				if (in >= 0)
					close(in);
				if (out >= 0)
					close(out);
			}
		} else {
			*why = xasprintf("%s: not a regular file, directory or symlink", path);
			rc = -1;
		}
		free(path);
	}
	closedir(dir);
	return rc;
}

static int run(const char *src, const char *dst, char **why)
{
	int fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		*why = xasprintf("%s: %s", src, strerror(errno));
		return -1;
	}
	int dfd = -1;
	if (dst && (dfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		*why = xasprintf("%s: %s", dst, strerror(errno));
		close(fd);
		return -1;
	}
	int rc = walk(fd, "", dfd, why);
	close(fd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int tree_check(const char *root, char **why)
{
	return run(root, NULL, why);
}

int tree_copy(const char *src, const char *dst, char **why)
{
	return run(src, dst, why);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void fnv(unsigned long long *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		*h ^= c[i];
		*h *= 1099511628211ULL;
	}
}

static int digest_walk(int dirfd, unsigned long long *h, int depth)
{
	DIR *dir = fdopendir(dup(dirfd));
	if (!dir || depth > 64) {
		if (dir)
			closedir(dir);
		return -1;
	}
	struct strvec names = STRVEC_INIT;
	struct dirent *de;
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			strvec_push(&names, de->d_name);
	closedir(dir);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_names);
	int rc = 0;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		const char *nm = names.v[i];
		struct stat st;
		fnv(h, nm, strlen(nm) + 1);
		if (fstatat(dirfd, nm, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char t[4096];
			ssize_t n = readlinkat(dirfd, nm, t, sizeof t);
			fnv(h, "L", 1);
			if (n > 0)
				fnv(h, t, (size_t)n);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			fnv(h, "D", 1);
			if (sub >= 0) {
				rc = digest_walk(sub, h, depth + 1);
				close(sub);
			}
			fnv(h, "U", 1);
		} else if (S_ISREG(st.st_mode)) {
			int fd = openat(dirfd, nm, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			char b[65536];
			ssize_t n;
			fnv(h, "F", 1);
			while (fd >= 0 && (n = read(fd, b, sizeof b)) > 0)
				fnv(h, b, (size_t)n);
			if (fd >= 0)
				close(fd);
		} else {
			fnv(h, "O", 1);
		}
	}
	strvec_release(&names);
	return rc;
}

char *tree_digest(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	unsigned long long h = 14695981039346656037ULL;
	int rc = digest_walk(fd, &h, 0);
	close(fd);
	return rc < 0 ? NULL : xasprintf("%016llx", h);
}
