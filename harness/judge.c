/* judge.c - see judge.h and the judging order in docs/adapters.md. */
#define _GNU_SOURCE
#include "judge.h"
#include "diff.h"
#include "beneath.h"
#include "guestpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

void result_release(struct result *r)
{
	free(r->reason);
	free(r->rule);
	free(r->diff);
	free(r->command);
	free(r->cwd);
	free(r->out);
	free(r->err);
	free(r->files_digest);
	free(r->kept);
	free(r->launch_note);
	memset(r, 0, sizeof *r);
}

static void add_reason(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_reason(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	if (b->len)
		buf_adds(b, "; ");
	buf_adds(b, s);
	free(s);
}

/* The preopen a guest file path falls in (longest match, as at load time) and the path
 * below it. NULL when none. */
static const struct judged_dir *dir_of(const struct judged_dir *dirs, size_t n, const char *guest,
				       const char **rest)
{
	const struct judged_dir *best = NULL;
	int bestscore = -1;
	for (size_t i = 0; i < n; i++) {
		const char *r;
		int sc = guestpath_match(dirs[i].guest, guest, &r);
		if (sc > bestscore) {
			best = &dirs[i];
			bestscore = sc;
			*rest = r;
		}
	}
	return best;
}

static void check_output(const char *stream, const struct matcher *m, const char *s, size_t n,
			 bool trunc, struct buf *why, struct buf *diff)
{
	if (match_test(m, s, n, trunc))
		return;
	char *what = xasprintf("%s does not match (%s%s)%s", stream, match_kind_name(m->kind),
			       m->normalize_newlines ? ", newlines normalised" : "",
			       trunc ? " - output was cut at the capture cap" : "");
	add_reason(why, "%s", what);
	free(what);
	if (m->kind == MATCH_REGEX) {
		buf_addf(diff, "%s: expected a match for /%s/, got:\n", stream, m->text);
		diff_unified("", 0, s, n > 4096 ? 4096 : n, diff);
	} else {
		size_t shown = n;
		if (m->kind == MATCH_PREFIX && n > m->len)
			shown = m->len + (n - m->len > 256 ? 256 : n - m->len);
		buf_addf(diff, "%s (%s):\n", stream, match_kind_name(m->kind));
		diff_unified(m->text, m->len, s, shown, diff);
	}
}

void judge(const struct test *t, const struct adapter *a, const struct exec_result *x,
	   const struct judged_dir *dirs, size_t ndirs, double timeout, struct result *r)
{
	const struct expect *e = &t->expect;
	const char *out = x->out.data ? x->out.data : "", *err = x->err.data ? x->err.data : "";
	r->exit_code = x->status == EXEC_EXITED ? x->code : -1;
	r->signal = x->status == EXEC_SIGNALED ? x->code : 0;
	if (x->status == EXEC_SPAWN_ERROR) {
		r->outcome = OUT_ERROR;
		r->rule = xstrdup("spawn");
		r->reason = xstrdup(x->error ? x->error : "could not start the runtime");
		return;
	}
	if (x->status == EXEC_TIMEOUT) {
		r->outcome = OUT_TIMEOUT;
		r->rule = xstrdup("timeout");
		r->reason = xasprintf("no exit within %gs; the process group was killed", timeout);
		return;
	}
	if (x->status == EXEC_SIGNALED) {
		r->outcome = OUT_CRASH;
		r->rule = xstrdup("signal");
		r->reason = xasprintf("the runtime was killed by signal %d (%s)", x->code, strsignal(x->code));
		return;
	}
	/* from here the runtime exited: classify rules fire only for its own exit codes and
	 * messages (see classify_match), never for what a guest exiting normally printed */
	struct classify_hit hit;
	if (classify_match(a, "crash", x->code, out, x->out.len, err, x->err.len, &hit)) {
		r->outcome = OUT_CRASH;
		r->reason = xasprintf("runtime internal error (exit %d): %s", x->code, hit.excerpt);
		r->rule = hit.rule;
		free(hit.excerpt);
		return;
	}
	/* a trap means the guest ran, so the module was not refused: a guest that printed a
	 * refusal-like first line and then trapped is a trap */
	struct classify_hit trap_hit;
	bool trapped = classify_match(a, "trap", x->code, out, x->out.len, err, x->err.len, &trap_hit);
	bool refused = !trapped &&
		classify_match(a, "unsupported", x->code, out, x->out.len, err, x->err.len, &hit);
	if (e->refused) {
		r->outcome = refused ? OUT_PASS : OUT_FAIL;
		r->reason = refused ? xasprintf("refused as expected: %s", hit.excerpt) : trapped ?
			xasprintf("expected the runtime to refuse the module, but it ran and trapped (exit %d): %s",
				  x->code, trap_hit.excerpt) :
			xasprintf("expected the runtime to refuse the module, but it ran and exited %d", x->code);
		r->rule = refused ? hit.rule : trapped ? trap_hit.rule : NULL;
		if (refused)
			free(hit.excerpt);
		if (trapped)
			free(trap_hit.excerpt);
		r->trapped = trapped;
		return;
	}
	if (refused) {
		r->outcome = OUT_UNSUPPORTED;
		r->reason = xasprintf("the runtime refused the module (exit %d): %s", x->code, hit.excerpt);
		r->rule = hit.rule;
		free(hit.excerpt);
		return;
	}
	struct buf why = BUF_INIT, diff = BUF_INIT;
	hit = trap_hit;
	r->trapped = trapped;
	if (trapped) {
		r->rule = hit.rule;
		if (!e->trap) {
			/* the guest's last words (an assertion, say) are often the real cause: quote
			 * the start of stderr too, as what it is, when it is not the runtime's line */
			char *l = text_first_line(err, x->err.len, 160);
			buf_addf(&why, "trapped (exit %d): %s", x->code, hit.excerpt);
			if (*l && strcmp(l, hit.excerpt))
				buf_addf(&why, "; stderr began: %s", l);
			free(l);
		}
		free(hit.excerpt);
	} else if (e->trap) {
		buf_addf(&why, "expected a trap, but it exited %d", x->code);
	} else {
		bool code_ok = false;
		for (size_t i = 0; i < e->nexit; i++)
			code_ok |= e->exit[i] == x->code;
		if (!code_ok) {
			struct buf exp = BUF_INIT;
			for (size_t i = 0; i < e->nexit; i++)
				buf_addf(&exp, "%s%d", i ? (i + 1 == e->nexit ? " or " : ", ") : "", e->exit[i]);
			bool beyond = e->nexit == 1 && e->exit[0] > a->exit_passthrough_max;
			if (beyond) {
				r->outcome = OUT_UNSUPPORTED;
				r->rule = xstrdup("exit_passthrough_max");
				r->reason = xasprintf("exit code %d expected, but %s reports guest exit codes above %d "
						      "differently (exited %d)", e->exit[0], a->name,
						      a->exit_passthrough_max, x->code);
				buf_release(&exp);
				buf_release(&why);
				buf_release(&diff);
				return;
			}
			char *l = xasprintf("exit code %d, expected %s", x->code, exp.data);
			add_reason(&why, "%s", l);
			free(l);
			buf_release(&exp);
		}
		check_output("stdout", &e->out, out, x->out.len, x->out.truncated, &why, &diff);
		check_output("stderr", &e->err, err, x->err.len, x->err.truncated, &why, &diff);
	}
	for (size_t i = 0; i < e->nfiles; i++) {
		const struct file_check *fc = &e->files[i];
		/* resolved beneath the copy, as the guest's runtime must: links are followed
		 * only while they stay inside it, and nothing outside is ever opened */
		const char *rest = NULL;
		const struct judged_dir *jd = dir_of(dirs, ndirs, fc->path, &rest);
		bool exists = false, outside = false;
		if (jd && jd->fd >= 0) {
			int fd = beneath_open(jd->fd, rest, O_PATH, 0);
			exists = fd >= 0;
			outside = fd < 0 && (errno == EXDEV || errno == ELOOP);
			if (fd >= 0)
				close(fd);
		}
		if (outside) {
			add_reason(&why, "file %s is behind a link that leaves the preopened directory (not followed)",
				   fc->path);
		} else if (fc->exists == 0 && exists) {
			add_reason(&why, "file %s exists but should not", fc->path);
		} else if ((fc->exists == 1 || fc->content.kind != MATCH_ANY) && !exists) {
			add_reason(&why, "file %s is missing", fc->path);
		} else if (fc->content.kind != MATCH_ANY) {
			size_t n = 0;
			char *data = beneath_read(jd->fd, rest, &n);
			if (!data && (errno == EXDEV || errno == ELOOP)) {
				add_reason(&why, "file %s is a link that leaves the preopened directory (not followed)",
					   fc->path);
			} else if (!data) {
				add_reason(&why, "file %s is not a readable regular file", fc->path);
			} else {
				char *label = xasprintf("file %s", fc->path);
				check_output(label, &fc->content, data, n, false, &why, &diff);
				free(label);
			}
			free(data);
		}
	}
	r->outcome = why.len ? OUT_FAIL : OUT_PASS;
	r->reason = why.len ? buf_detach(&why) : NULL;
	r->diff = diff.len ? buf_detach(&diff) : NULL;
	buf_release(&why);
	buf_release(&diff);
}
