/* beneath.c - see beneath.h. Resolution walks one component at a time from a directory fd:
 * each step is fstatat/openat with O_NOFOLLOW on the fd of the previous one, a symlink
 * is read and its text spliced in front of what remains of the path, and '..' pops the
 * stack of opened directories (it never asks the kernel for '..', so a directory moved
 * or replaced meanwhile cannot lead out). The kernel's openat2(RESOLVE_BENEATH) does the
 * same; this walk is used everywhere so that there is one behaviour, kernel or not. */
#define _GNU_SOURCE
#include "beneath.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fdstack {
	int *fd;
	size_t n, alloc;
};

static void fdstack_push(struct fdstack *s, int fd)
{
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 16;
		s->fd = xrealloc(s->fd, s->alloc * sizeof *s->fd);
	}
	s->fd[s->n++] = fd;
}

static void fdstack_release(struct fdstack *s)
{
	while (s->n)
		close(s->fd[--s->n]);
	free(s->fd);
}

int beneath_open(int rootfd, const char *rel, int oflags, unsigned how)
{
	if (rel[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	struct fdstack st = { 0 };
	char *rest = xstrdup(rel);
	const char *p = rest;
	int cur = rootfd, links = 0, result = -1, err = 0;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p) {
			/* the path ends on a directory already opened (or the root) */
			result = openat(cur, ".", oflags | O_CLOEXEC);
			if (result < 0)
				err = errno;
			break;
		}
		size_t len = strcspn(p, "/");
		if (len > NAME_MAX) {
			err = ENAMETOOLONG;
			break;
		}
		char name[NAME_MAX + 1];
		memcpy(name, p, len);
		name[len] = 0;
		p += len;
		const char *q = p;
		while (*q == '/')
			q++;
		bool last = !*q, trailing = last && *p == '/';
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (!st.n) {
				err = EXDEV;
				break;
			}
			close(st.fd[--st.n]);
			cur = st.n ? st.fd[st.n - 1] : rootfd;
			continue;
		}
		bool dir = !last || trailing, follow = dir || (how & BENEATH_FOLLOW);
		struct stat sb;
		int r = fstatat(cur, name, &sb, AT_SYMLINK_NOFOLLOW);
		if (r < 0 && errno == ENOENT && (how & BENEATH_MKDIR)) {
			r = mkdirat(cur, name, 0755);
			if (r == 0 || errno == EEXIST)
				r = fstatat(cur, name, &sb, AT_SYMLINK_NOFOLLOW);
		}
		if (r < 0) {
			err = errno;
			break;
		}
		if (S_ISLNK(sb.st_mode) && follow) {
			char t[PATH_MAX];
			ssize_t n = readlinkat(cur, name, t, sizeof t - 1);
			if (n < 0 || ++links > BENEATH_MAX_LINKS || (size_t)n >= sizeof t - 1) {
				err = n < 0 ? errno : links > BENEATH_MAX_LINKS ? ELOOP : ENAMETOOLONG;
				break;
			}
			t[n] = 0;
			if (t[0] == '/' || n == 0) {
				err = n == 0 ? ENOENT : EXDEV;
				break;
			}
			/* the link's text takes its place in what remains ("/..." or "") */
			char *nr = xasprintf("%s%s", t, p);
			free(rest);
			rest = nr;
			p = rest;
			continue;
		}
		if (dir) {
			int fd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				err = errno;
				break;
			}
			fdstack_push(&st, fd);
			cur = fd;
			continue;
		}
		result = openat(cur, name, oflags | O_NOFOLLOW | O_CLOEXEC);
		if (result < 0)
			err = errno;
		break;
	}
	fdstack_release(&st);
	free(rest);
	if (result < 0)
		errno = err;
	return result;
}

static char *read_fd(int fd, size_t *len)
{
	struct buf b = BUF_INIT;
	char tmp[65536];
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_release(&b);
			return NULL;
		}
		if (n == 0)
			break;
		buf_add(&b, tmp, (size_t)n);
	}
	if (len)
		*len = b.len;
	if (!b.data)
		buf_adds(&b, "");
	return buf_detach(&b);
}

char *beneath_read(int rootfd, const char *rel, size_t *len)
{
	/* O_NONBLOCK: a FIFO put there meanwhile must not hang the reader */
	int fd = beneath_open(rootfd, rel, O_RDONLY | O_NONBLOCK, BENEATH_FOLLOW);
	if (fd < 0)
		return NULL;
	struct stat sb;
	char *data = NULL;
	if (fstat(fd, &sb) < 0)
		;
	else if (!S_ISREG(sb.st_mode))
		errno = EINVAL;
	else
		data = read_fd(fd, len);
	int e = errno;
	close(fd);
	errno = e;
	return data;
}
