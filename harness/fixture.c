/* fixture.c - see fixture.h. One walk checks a tree and, given a destination, copies it
 * (check_copy_dir: a directory at a time, files opened with O_NOFOLLOW so a swap between
 * check and copy is caught); the digest is a second, read-only walk (digest_dir). */
#define _GNU_SOURCE
#include "fixture.h"
#include "beneath.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct check_copy {
	int rootfd;		/* the source tree's root, for resolving links */
	char **why;
	const char *except;	/* entries whose name ends so are left out, or NULL */
};

static bool link_ok(struct check_copy *w, const char *path, const char *target)
{
	int fd = beneath_open(w->rootfd, path, O_PATH, BENEATH_FOLLOW);
	if (fd >= 0) {
		close(fd);
		return true;
	}
	if (errno == EXDEV)
		*w->why = xasprintf("%s: symlink to '%s' leaves the fixture tree", path, target);
	else if (errno == ELOOP)
		*w->why = xasprintf("%s: symlink to '%s' loops (more than %d links)", path, target, BENEATH_MAX_LINKS);
	else if (errno == ENOENT || errno == ENOTDIR)
		*w->why = xasprintf("%s: symlink to '%s' does not resolve to anything in the fixture tree", path,
				    target);
	else
		*w->why = xasprintf("%s: symlink to '%s': %s", path, target, strerror(errno));
	return false;
}

static int copy_file(int dirfd, const char *nm, int dstfd, const char *path, char **why)
{
	int in = openat(dirfd, nm, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), out = -1;
	struct stat sb;
	bool st_ok = in >= 0 && fstat(in, &sb) == 0;
	if (!st_ok || !S_ISREG(sb.st_mode)) {
		if (st_ok)
			*why = xasprintf("%s: no longer a regular file", path);
		else
			*why = xasprintf("%s: cannot copy: %s", path, strerror(errno));
		if (in >= 0)
			close(in);
		return -1;
	}
	out = openat(dstfd, nm, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, sb.st_mode & 0777);
	char b[65536];
	ssize_t n = 0;
	while (out >= 0 && (n = read(in, b, sizeof b)) > 0)
		if (write(out, b, (size_t)n) != n) {
			n = -1;
			break;
		}
	int rc = 0;
	if (out < 0 || n < 0) {
		*why = xasprintf("%s: cannot copy: %s", path, strerror(errno));
		rc = -1;
	}
	close(in);
	if (out >= 0 && close(out) < 0 && rc == 0) {
		*why = xasprintf("%s: cannot copy: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* Checks the directory 'dirfd' (relative path 'rel' inside the root) against the fixture
 * rules; with dstfd >= 0, also copies it there. */
static int check_copy_dir(struct check_copy *w, int dirfd, const char *rel, int dstfd, int depth)
{
	char **why = w->why;
	if (depth > FIXTURE_MAX_DEPTH) {
		*why = xasprintf("%s: directories nested deeper than %d levels", rel, FIXTURE_MAX_DEPTH);
		return -1;
	}
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = dfd < 0 ? NULL : fdopendir(dfd);
	if (!dir) {
		*why = xasprintf("%s: cannot read directory: %s", *rel ? rel : ".", strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dir))) {
		const char *nm = de->d_name;
		if (!strcmp(nm, ".") || !strcmp(nm, ".."))
			continue;
		size_t nl = strlen(nm), xl = w->except ? strlen(w->except) : 0;
		if (xl && nl >= xl && !strcmp(nm + nl - xl, w->except))
			continue;
		char *path = *rel ? xasprintf("%s/%s", rel, nm) : xstrdup(nm);
		struct stat st;
		if (fstatat(dirfd, nm, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*why = xasprintf("%s: %s", path, strerror(errno));
			rc = -1;
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(dirfd, nm, target, sizeof target - 1);
			if (n < 0) {
				*why = xasprintf("%s: %s", path, strerror(errno));
				rc = -1;
			} else {
				target[n] = 0;
				if (!link_ok(w, path, target)) {
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
				rc = check_copy_dir(w, sub, path, dstfd >= 0 ? dsub : -1, depth + 1);
			if (sub >= 0)
				close(sub);
			if (dsub >= 0) {
				fchmod(dsub, st.st_mode & 0777);
				close(dsub);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (dstfd >= 0)
				rc = copy_file(dirfd, nm, dstfd, path, why);
		} else {
			*why = xasprintf("%s: not a regular file, directory or symlink (%s)", path,
					 S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" :
					 S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "unknown type");
			rc = -1;
		}
		free(path);
	}
	closedir(dir);
	return rc;
}

static int check_copy_tree(const char *src, int dstfd, const char *except, char **why)
{
	int fd = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		*why = xasprintf("%s: %s", src, strerror(errno));
		return -1;
	}
	struct check_copy w = { fd, why, except };
	int rc = check_copy_dir(&w, fd, "", dstfd, 0);
	close(fd);
	return rc;
}

int fixture_check(const char *root, char **why)
{
	return check_copy_tree(root, -1, NULL, why);
}

int fixture_copy(const char *src, int dstfd, char **why)
{
	return check_copy_tree(src, dstfd, NULL, why);
}

int fixture_check_except(const char *root, const char *suffix, char **why)
{
	return check_copy_tree(root, -1, suffix, why);
}

int fixture_copy_except(const char *src, int dstfd, const char *suffix, char **why)
{
	return check_copy_tree(src, dstfd, suffix, why);
}

/* ------------------------------------------------------------------ digest */

static int digest_dir(int dirfd, unsigned long long *h, int depth)
{
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = dfd < 0 ? NULL : fdopendir(dfd);
	if (!dir || depth > 64) {
		if (dir)
			closedir(dir);
		else if (dfd >= 0)
			close(dfd);
		return -1;
	}
	struct strvec names = STRVEC_INIT;
	struct dirent *de;
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			strvec_push(&names, de->d_name);
	closedir(dir);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, strvec_cmp);
	int rc = 0;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		const char *nm = names.v[i];
		struct stat st;
		*h = fnv1a(*h, nm, strlen(nm) + 1);
		if (fstatat(dirfd, nm, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char t[4096];
			ssize_t n = readlinkat(dirfd, nm, t, sizeof t);
			*h = fnv1a(*h, "L", 1);
			if (n > 0)
				*h = fnv1a(*h, t, (size_t)n);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			*h = fnv1a(*h, "D", 1);
			if (sub >= 0) {
				rc = digest_dir(sub, h, depth + 1);
				close(sub);
			}
			*h = fnv1a(*h, "U", 1);
		} else if (S_ISREG(st.st_mode)) {
			int fd = openat(dirfd, nm, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			char b[65536];
			ssize_t n;
			*h = fnv1a(*h, "F", 1);
			while (fd >= 0 && (n = read(fd, b, sizeof b)) > 0)
				*h = fnv1a(*h, b, (size_t)n);
			if (fd >= 0)
				close(fd);
		} else {
			*h = fnv1a(*h, "O", 1);
		}
	}
	strvec_release(&names);
	return rc;
}

char *fixture_digest_fd(int rootfd)
{
	unsigned long long h = FNV1A_INIT;
	int rc = digest_dir(rootfd, &h, 0);
	return rc < 0 ? NULL : xasprintf("%016llx", h);
}

char *fixture_digest(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *d = fixture_digest_fd(fd);
	close(fd);
	return d;
}
