/* model.c - see model.h: the destructors of the shared data, beside the structs they free
 * (load.c and wts.c fill them). */
#include "model.h"
#include "ops.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void test_release(struct test *t)
{
	free(t->id);
	free(t->name);
	free(t->description);
	free(t->file);
	free(t->module);
	strvec_release(&t->args);
	for (size_t i = 0; i < t->nenv; i++) {
		free(t->env[i].key);
		free(t->env[i].value);
	}
	free(t->env);
	free(t->stdin_data);
	for (size_t i = 0; i < t->ndirs; i++) {
		free(t->dirs[i].host);
		free(t->dirs[i].guest);
	}
	free(t->dirs);
	strvec_release(&t->tags);
	strvec_release(&t->requires);
	strvec_release(&t->links);
	free(t->skip);
	free(t->feature);
	free(t->spec);
	free(t->expect.exit);
	match_release(&t->expect.out);
	match_release(&t->expect.err);
	for (size_t i = 0; i < t->expect.nfiles; i++) {
		free(t->expect.files[i].path);
		match_release(&t->expect.files[i].content);
	}
	free(t->expect.files);
	free(t->wasi);
	free(t->world);
	strvec_release(&t->proposals);
	ops_release(t->ops);
	memset(t, 0, sizeof *t);
}

void suite_release(struct suite *s)
{
	for (size_t i = 0; i < s->ntests; i++)
		test_release(&s->tests[i]);
	free(s->tests);
	free(s->name);
	free(s->path);
	free(s->description);
	free(s->kind);
	memset(s, 0, sizeof *s);
}
