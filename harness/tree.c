/* tree.c - see tree.h. Resolution walks one component at a time from a directory fd:
 * each step is fstatat/openat with O_NOFOLLOW on the fd of the previous one, a symlink
 * is read and its text spliced in front of what remains of the path, and '..' pops the
 * stack of opened directories (it never asks the kernel for '..', so a directory moved
 * or replaced meanwhile cannot lead out). The kernel's openat2(RESOLVE_BENEATH) does the
 * same; this walk is used everywhere so that there is one behaviour, kernel or not. */
#define _GNU_SOURCE
#include "tree.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TREE_MAX_LINKS 40	/* as Linux (MAXSYMLINKS) */
#define TREE_MAX_DEPTH 128	/* directory nesting in a fixture tree */

/* ------------------------------------------------------------------ resolution */

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

int tree_open_beneath(int rootfd, const char *rel, int oflags, unsigned how)
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
		bool dir = !last || trailing, follow = dir || (how & TREE_FOLLOW);
		struct stat sb;
		int r = fstatat(cur, name, &sb, AT_SYMLINK_NOFOLLOW);
		if (r < 0 && errno == ENOENT && (how & TREE_MKDIR)) {
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
			if (n < 0 || ++links > TREE_MAX_LINKS || (size_t)n >= sizeof t - 1) {
				err = n < 0 ? errno : links > TREE_MAX_LINKS ? ELOOP : ENAMETOOLONG;
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

char *tree_read_beneath(int rootfd, const char *rel, size_t *len)
{
	/* O_NONBLOCK: a FIFO put there meanwhile must not hang the reader */
	int fd = tree_open_beneath(rootfd, rel, O_RDONLY | O_NONBLOCK, TREE_FOLLOW);
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

/* ------------------------------------------------------------------ fixture trees */

struct walk {
	int rootfd;		/* the source tree's root, for resolving links */
	char **why;
	const char *except;	/* entries whose name ends so are left out, or NULL */
};

static bool link_ok(struct walk *w, const char *path, const char *target)
{
	int fd = tree_open_beneath(w->rootfd, path, O_PATH, TREE_FOLLOW);
	if (fd >= 0) {
		close(fd);
		return true;
	}
	if (errno == EXDEV)
		*w->why = xasprintf("%s: symlink to '%s' leaves the fixture tree", path, target);
	else if (errno == ELOOP)
		*w->why = xasprintf("%s: symlink to '%s' loops (more than %d links)", path, target, TREE_MAX_LINKS);
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

/* Walk 'dirfd' (relative path 'rel' inside the root). With dstfd >= 0, copy into it. */
static int walk(struct walk *w, int dirfd, const char *rel, int dstfd, int depth)
{
	char **why = w->why;
	if (depth > TREE_MAX_DEPTH) {
		*why = xasprintf("%s: directories nested deeper than %d levels", rel, TREE_MAX_DEPTH);
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
				rc = walk(w, sub, path, dstfd >= 0 ? dsub : -1, depth + 1);
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

static int walk_root(const char *src, int dstfd, const char *except, char **why)
{
	int fd = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		*why = xasprintf("%s: %s", src, strerror(errno));
		return -1;
	}
	struct walk w = { fd, why, except };
	int rc = walk(&w, fd, "", dstfd, 0);
	close(fd);
	return rc;
}

int tree_check(const char *root, char **why)
{
	return walk_root(root, -1, NULL, why);
}

int tree_copy(const char *src, int dstfd, char **why)
{
	return walk_root(src, dstfd, NULL, why);
}

int tree_check_except(const char *root, const char *suffix, char **why)
{
	return walk_root(root, -1, suffix, why);
}

int tree_copy_except(const char *src, int dstfd, const char *suffix, char **why)
{
	return walk_root(src, dstfd, suffix, why);
}

/* ------------------------------------------------------------------ digest */

static int digest_walk(int dirfd, unsigned long long *h, int depth)
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
		qsort(names.v, names.n, sizeof *names.v, cmp_strp);
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
				rc = digest_walk(sub, h, depth + 1);
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

char *tree_digest_fd(int rootfd)
{
	unsigned long long h = FNV1A_INIT;
	int rc = digest_walk(rootfd, &h, 0);
	return rc < 0 ? NULL : xasprintf("%016llx", h);
}

char *tree_digest(const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *d = tree_digest_fd(fd);
	close(fd);
	return d;
}

/* ------------------------------------------------------------------ guest paths */

const char *tree_guest_invalid(const char *g)
{
	if (!*g)
		return "is empty";
	for (const char *p = g; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	if (!strcmp(g, "/") || !strcmp(g, "."))
		return NULL;
	const char *p = g + (*g == '/');
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 0)
			return "has an empty component ('//')";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "has a '..' component";
		/* '.' components and one trailing '/' stay: they name the same directory, and
		 * how a runtime presents such a name to the guest is worth a test */
		p += n;
		if (!*p || !p[1])
			return NULL;
		p++;
	}
}

/* The next component of *p (skipping '/' and '.'), its length in *n; NULL at the end. */
static const char *next_comp(const char **p, size_t *n)
{
	for (;;) {
		while (**p == '/')
			(*p)++;
		if (!**p)
			return NULL;
		const char *c = *p;
		*n = strcspn(c, "/");
		*p += *n;
		if (!(*n == 1 && c[0] == '.'))
			return c;
	}
}

int tree_guest_match(const char *guest, const char *path, const char **rest)
{
	if (!strcmp(guest, "/") || !strcmp(guest, ".")) {
		*rest = path;
		while (**rest == '/')
			(*rest)++;
		return 0;
	}
	if ((guest[0] == '/') != (path[0] == '/'))
		return -1;
	const char *g = guest, *p = path;
	int score = 1;
	size_t gn, pn;
	const char *gc;
	while ((gc = next_comp(&g, &gn))) {
		const char *pc = next_comp(&p, &pn);
		if (!pc || gn != pn || memcmp(gc, pc, gn))
			return -1;
		score++;
	}
	while (*p == '/')
		p++;
	*rest = p;
	return score;
}

bool tree_rel_stays(const char *rel)
{
	long depth = 0;
	const char *p = rel;
	size_t n;
	const char *c;
	if (*rel == '/')
		return false;
	while ((c = next_comp(&p, &n)))
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (--depth < 0)
				return false;
		} else {
			depth++;
		}
	return true;
}

/* ------------------------------------------------------------------ suite trees */

char *tree_suite_root(const char *dir)
{
	char *d = xstrdup(dir);
	for (;;) {
		char *m = path_join(d, TREE_ROOT_MARKER);
		struct stat st;
		bool found = lstat(m, &st) == 0 && S_ISREG(st.st_mode);
		free(m);
		if (found)
			return d;
		char *slash = strrchr(d, '/');
		if (!slash || slash == d || !strcmp(d, "/"))
			break;
		*slash = 0;
	}
	free(d);
	return xstrdup(dir);
}

/* Whether the canonical path 'p' is 'root' or below it, component-wise. */
static bool canon_inside(const char *root, const char *p)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return p[0] == '/';
	return !strncmp(root, p, n) && (p[n] == '/' || p[n] == 0);
}

int tree_resolve_inside(const char *root, const char *base, const char *rel, char **out, char **why)
{
	*out = NULL;
	*why = NULL;
	if (rel[0] == '/') {
		*why = xasprintf("'%s' is an absolute path: suite paths are relative to the suite and stay in "
				 "its tree (%s)", rel, root);
		return -1;
	}
	char *p = path_join(base, rel);
	char *r = realpath(p, NULL);
	int e = errno;
	free(p);
	if (!r) {
		errno = e;
		return -2;
	}
	if (!canon_inside(root, r)) {
		*why = xasprintf("'%s' resolves to '%s', outside the suite's tree (%s)", rel, r, root);
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}
