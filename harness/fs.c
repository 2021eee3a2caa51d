/* fs.c - see fs.h. */
#define _GNU_SOURCE
#include "fs.h"
#include "buf.h"
#include "strvec.h"
#include "mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fs_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	/* A regular file is read into one allocation of its size (a 70 MB module was
	 * copied several times as a buffer grew); a file that grows meanwhile, or a pipe,
	 * doubles the allocation as it goes. */
	struct stat st;
	size_t alloc = 65536, n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size < SIZE_MAX / 4)
		alloc = (size_t)st.st_size + 1;
	char *data = xmalloc(alloc);
	for (;;) {
		if (alloc - n < 2)
			data = xrealloc(data, alloc *= 2);
		ssize_t k = read(fd, data + n, alloc - n - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			close(fd);
			free(data);
			errno = e;
			return NULL;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	data[n] = '\0';
	if (len)
		*len = n;
	return data;
}

bool fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
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

int fs_remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path);
}

int fs_mkdir_p(const char *path)
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

int fs_list_dir(const char *dir, const char *suffix, struct strvec *out)
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
		qsort(out->v + first, out->n - first, sizeof *out->v, strvec_cmp);
	return 0;
}

int fs_mkdir_private(const char *path, char **why)
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
