/* wfile.c - see wfile.h. */
#define _GNU_SOURCE
#include "wfile.h"
#include "path.h"
#include "fs.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum wkind { WK_FD, WK_THROUGH, WK_REPLACE, WK_NEW };

/* The descriptor a name stands for (see wfile.h), or -1. */
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
	if (!fs_is_dir(dir))
		rc = wfail(why, ENOENT, xasprintf("cannot write %s: directory %s does not exist", path, dir));
	else if (access(dir, W_OK | X_OK) != 0)
		rc = wfail(why, errno, xasprintf("cannot write %s: directory %s: %s", path, dir, strerror(errno)));
	free(dir);
	return rc;
}
