/* wasm.c - see wasm.h. A reader over [pos, end) of one buffer; every read checks
 * against end, and an error longjmps back to the entry point of the binary being read
 * (one jmp_buf per nested module, so nesting is bounded by WASM_MAX_DEPTH). Everything
 * allocated before an error is already owned by the struct wasm_module or the context,
 * so the unwinding frees nothing by hand.
 *
 * Instruction decoding is a loop with a block-depth counter, not a recursion. Every
 * opcode of the core spec and of the proposals listed in enum wasm_feature is known with
 * its immediates; anything else stops the read with "unknown opcode" and its offset. */
#define _GNU_SOURCE
#include "wasm.h"
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WASM_MAX_DEPTH 8	/* nested components / core modules in components */
#define WASM_MAX_TYPE_DEPTH 32	/* types nested in component and instance types */

static const char *const feature_names[WF__COUNT] = {
	"simd", "relaxed-simd", "threads", "shared-memory", "bulk-memory", "reference-types",
	"multi-value", "sign-ext", "nontrapping-fptoint", "mutable-globals", "tail-call",
	"exceptions", "gc", "function-references", "memory64", "multi-memory", "extended-const",
};
static const char *const feature_titles[WF__COUNT] = {
	"SIMD (128-bit)", "relaxed SIMD", "threads / atomics", "shared memory", "bulk memory",
	"reference types", "multi-value", "sign-extension operators",
	"non-trapping float-to-int", "mutable-global imports/exports", "tail calls",
	"exception handling", "GC types", "typed function references", "memory64",
	"multi-memory", "extended constant expressions",
};
static const char *const extern_names[WX__COUNT] = {
	"func", "table", "memory", "global", "tag", "core-module", "func", "value", "type",
	"component", "instance",
};

const char *wasm_feature_name(enum wasm_feature f)
{
	return f < WF__COUNT ? feature_names[f] : "?";
}

const char *wasm_feature_title(enum wasm_feature f)
{
	return f < WF__COUNT ? feature_titles[f] : "?";
}

const char *wasm_extern_name(enum wasm_extern k)
{
	return k < WX__COUNT ? extern_names[k] : "?";
}

bool wasm_uses(const struct wasm_module *m, enum wasm_feature f)
{
	return f < WF__COUNT && m->features[f].count > 0;
}

struct functype {
	uint32_t nparams, nresults;
	bool is_func;
};

/* An index space of a component (types, instances, components): per index, the member
 * list (1 + index into m->lists) of what it names, or 0. */
struct space {
	uint32_t *v;
	size_t n, a;
};

struct ctx {
	struct wasm_module *m;
	const uint8_t *buf;	/* the whole input; offsets in messages are into it */
	size_t pos, end;	/* the current reader */
	jmp_buf jb;
	char *err;
	int depth;
	size_t func;		/* function index being decoded, or SIZE_MAX */
	struct functype *types;
	size_t ntypes, atypes;
	bool *gmut;		/* mutability per global index */
	size_t ngmut, agmut;
	size_t nfunc_imports;
	const char *where;	/* prefix for feature evidence (nested modules) */
	struct space ctypes, cinsts, ccomps;	/* components */
};

static void fail(struct ctx *c, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4), noreturn));
static void fail(struct ctx *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->func != SIZE_MAX)
		c->err = xasprintf("%s at offset 0x%zx (function %zu)", msg, at, c->func);
	else
		c->err = xasprintf("%s at offset 0x%zx", msg, at);
	free(msg);
	longjmp(c->jb, 1);
}

static void use(struct ctx *c, enum wasm_feature f, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void use(struct ctx *c, enum wasm_feature f, size_t at, const char *fmt, ...)
{
	struct wasm_use *u = &c->m->features[f];
	u->count++;
	if (u->first)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->func != SIZE_MAX)
		u->first = xasprintf("%s%s in function %zu at offset 0x%zx", c->where, msg, c->func, at);
	else
		u->first = xasprintf("%s%s at offset 0x%zx", c->where, msg, at);
	free(msg);
}

static size_t left(const struct ctx *c)
{
	return c->end - c->pos;
}

static uint8_t u8(struct ctx *c)
{
	if (c->pos >= c->end)
		fail(c, c->pos, "unexpected end of %s", c->func != SIZE_MAX ? "function body" : "section");
	return c->buf[c->pos++];
}

static uint8_t peek(struct ctx *c)
{
	if (c->pos >= c->end)
		fail(c, c->pos, "unexpected end of %s", c->func != SIZE_MAX ? "function body" : "section");
	return c->buf[c->pos];
}

/* Unsigned LEB128 of at most 'bits' bits: at most ceil(bits/7) bytes, and the unused
 * high bits of the last byte must be zero. */
static uint64_t uleb(struct ctx *c, unsigned bits)
{
	size_t at = c->pos;
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint8_t b = u8(c);
		if (shift + 7 > bits && shift < 64) {
			unsigned room = bits - shift;	/* bits this byte may still carry */
			if ((b & 0x80) || (b & 0x7f) >> room)
				fail(c, at, "integer too large (LEB128 overflows %u bits)", bits);
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
}

/* Signed LEB128 of 'bits' bits: the unused bits of the last byte must all equal its
 * sign bit. */
static int64_t sleb(struct ctx *c, unsigned bits)
{
	size_t at = c->pos;
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;
	for (;;) {
		b = u8(c);
		if (shift + 7 >= bits) {
			/* last possible byte: bits [bits-1-shift, 6] must be sign copies */
			unsigned keep = bits - shift;	/* 1..7 meaningful bits */
			if (b & 0x80)
				fail(c, at, "integer too large (LEB128 overflows %u bits)", bits);
			int sign = (b >> (keep - 1)) & 1;
			uint8_t mask = (uint8_t)(0x7f & ~((1u << keep) - 1));
			if ((b & mask) != (sign ? mask : 0))
				fail(c, at, "integer too large (LEB128 overflows %u bits)", bits);
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

static uint32_t u32(struct ctx *c)
{
	return (uint32_t)uleb(c, 32);
}

/* A vector count: each element takes at least 'min' bytes, so a count larger than
 * what is left is rejected before anything is allocated for it. */
static uint32_t count(struct ctx *c, size_t min, const char *what)
{
	size_t at = c->pos;
	uint32_t n = u32(c);
	if (min && n > left(c) / min)
		fail(c, at, "%s count %u exceeds the %zu bytes left", what, n, left(c));
	return n;
}

static void skip(struct ctx *c, size_t n, const char *what)
{
	if (n > left(c))
		fail(c, c->pos, "%s of %zu bytes runs past the end (%zu left)", what, n, left(c));
	c->pos += n;
}

static char *name(struct ctx *c)
{
	size_t at = c->pos;
	uint32_t n = u32(c);
	if (n > left(c))
		fail(c, at, "name of %u bytes runs past the end (%zu left)", n, left(c));
	char *s = xstrndup((const char *)c->buf + c->pos, n);
	c->pos += n;
	return s;
}

/* ---- types ---- */

static bool is_abstract_heap(uint8_t b, struct ctx *c, size_t at)
{
	switch (b) {
	case 0x70: case 0x6f:	/* func, extern */
		return true;
	case 0x69: case 0x74:	/* exn, noexn */
		use(c, WF_EXCEPTIONS, at, "exnref heap type");
		return true;
	case 0x73: case 0x72: case 0x71: case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a:
		use(c, WF_GC, at, "GC heap type 0x%02x", b);
		return true;
	default:
		return false;
	}
}

static void heaptype(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = peek(c);
	if (is_abstract_heap(b, c, at)) {
		c->pos++;
		return;
	}
	int64_t v = sleb(c, 33);
	if (v < 0)
		fail(c, at, "unknown heap type 0x%02x", b);
	use(c, WF_FUNCTION_REFERENCES, at, "typed reference to type %lld", (long long)v);
}

/* A value type; returns its first byte. */
static uint8_t valtype(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = u8(c);
	switch (b) {
	case 0x7f: case 0x7e: case 0x7d: case 0x7c:
		return b;
	case 0x7b:
		use(c, WF_SIMD, at, "v128 value type");
		return b;
	case 0x70: case 0x6f:
		return b;
	case 0x64: case 0x63:
		use(c, WF_FUNCTION_REFERENCES, at, "(ref%s ...) value type", b == 0x63 ? " null" : "");
		heaptype(c);
		return b;
	default:
		if (is_abstract_heap(b, c, at))
			return b;
		fail(c, at, "unknown value type 0x%02x", b);
	}
}

static uint8_t reftype(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = valtype(c);
	if (b >= 0x7b)
		fail(c, at, "expected a reference type, got 0x%02x", b);
	if (b != 0x70)
		use(c, WF_REFERENCE_TYPES, at, "reference type 0x%02x", b);
	return b;
}

static void add_type(struct ctx *c, bool is_func, uint32_t np, uint32_t nr)
{
	if (c->ntypes == c->atypes) {
		c->atypes = c->atypes ? c->atypes * 2 : 16;
		c->types = xrealloc(c->types, c->atypes * sizeof *c->types);
	}
	c->types[c->ntypes++] = (struct functype){ np, nr, is_func };
	c->m->ntypes++;
}

static void comptype(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = u8(c);
	if (b == 0x60) {
		uint32_t np = count(c, 1, "parameter");
		for (uint32_t i = 0; i < np; i++)
			valtype(c);
		uint32_t nr = count(c, 1, "result");
		for (uint32_t i = 0; i < nr; i++)
			valtype(c);
		if (nr > 1)
			use(c, WF_MULTI_VALUE, at, "function type %zu with %u results", c->ntypes, nr);
		add_type(c, true, np, nr);
		return;
	}
	if (b == 0x5f || b == 0x5e) {
		use(c, WF_GC, at, "%s type", b == 0x5f ? "struct" : "array");
		uint32_t nf = b == 0x5f ? count(c, 2, "field") : 1;
		for (uint32_t i = 0; i < nf; i++) {
			uint8_t s = peek(c);
			if (s == 0x78 || s == 0x77)
				c->pos++;
			else
				valtype(c);
			size_t mat = c->pos;
			if (u8(c) > 1)
				fail(c, mat, "field mutability must be 0 or 1");
		}
		add_type(c, false, 0, 0);
		return;
	}
	fail(c, at, "unknown type form 0x%02x", b);
}

static void subtype(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = peek(c);
	if (b == 0x50 || b == 0x4f) {
		c->pos++;
		use(c, WF_GC, at, "sub%s type", b == 0x4f ? " final" : "");
		uint32_t n = count(c, 1, "supertype");
		for (uint32_t i = 0; i < n; i++)
			u32(c);
	}
	comptype(c);
}

static void sec_type(struct ctx *c)
{
	uint32_t n = count(c, 1, "type");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		if (peek(c) == 0x4e) {
			c->pos++;
			use(c, WF_GC, at, "rec group");
			uint32_t k = count(c, 1, "rec group member");
			for (uint32_t j = 0; j < k; j++)
				subtype(c);
		} else {
			subtype(c);
		}
	}
}

static void limits(struct ctx *c, struct wasm_limits *l, bool memory)
{
	size_t at = c->pos;
	uint8_t f = u8(c);
	if (f & ~0x0f)
		fail(c, at, "unknown limits flags 0x%02x", f);
	l->has_max = f & 1;
	l->shared = f & 2;
	l->is64 = f & 4;
	unsigned bits = l->is64 ? 64 : 32;
	l->min = uleb(c, bits);
	if (l->has_max)
		l->max = uleb(c, bits);
	if (f & 8)	/* custom page sizes: log2 of the page size */
		u32(c);
	if (l->is64)
		use(c, WF_MEMORY64, at, "64-bit %s", memory ? "memory" : "table");
	if (l->shared) {
		use(c, WF_THREADS, at, "shared %s", memory ? "memory" : "table");
		use(c, WF_SHARED_MEMORY, at, "shared %s", memory ? "memory" : "table");
	}
}

static struct wasm_limits *add_limits(struct wasm_limits **v, size_t *n)
{
	if ((*n & (*n - 1)) == 0)	/* 0 or a power of two: grow geometrically */
		*v = xrealloc(*v, (*n ? *n * 2 : 4) * sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	return &(*v)[(*n)++];
}

static void note_memory(struct ctx *c, size_t at)
{
	if (c->m->nmemories == 2)
		use(c, WF_MULTI_MEMORY, at, "a second memory");
}

static void note_table(struct ctx *c, size_t at)
{
	if (c->m->ntables == 2)
		use(c, WF_REFERENCE_TYPES, at, "a second table");
}

static void add_global(struct ctx *c, bool mut)
{
	if (c->ngmut == c->agmut) {
		c->agmut = c->agmut ? c->agmut * 2 : 16;
		c->gmut = xrealloc(c->gmut, c->agmut * sizeof *c->gmut);
	}
	c->gmut[c->ngmut++] = mut;
	c->m->nglobals++;
}

static bool globaltype(struct ctx *c)
{
	valtype(c);
	size_t at = c->pos;
	uint8_t mut = u8(c);
	if (mut > 1)
		fail(c, at, "global mutability must be 0 or 1, not %u", mut);
	return mut;
}

static void tabletype(struct ctx *c, struct wasm_limits *l)
{
	l->reftype = reftype(c);
	limits(c, l, false);
}

static void tagtype(struct ctx *c)
{
	size_t at = c->pos;
	if (u8(c) != 0)
		fail(c, at, "tag attribute must be 0");
	u32(c);
	c->m->ntags++;
}

static void sec_import(struct ctx *c)
{
	struct wasm_module *m = c->m;
	uint32_t n = count(c, 3, "import");
	m->imports = xrealloc(m->imports, (m->nimports + n + 1) * sizeof *m->imports);
	for (uint32_t i = 0; i < n; i++) {
		struct wasm_import *im = &m->imports[m->nimports];
		memset(im, 0, sizeof *im);
		im->module = name(c);
		im->name = xstrdup("");	/* an import cut short in its name still has one */
		m->nimports++;	/* owned from here on */
		char *nm = name(c);
		free(im->name);
		im->name = nm;
		size_t at = c->pos;
		uint8_t k = u8(c);
		switch (k) {
		case 0x00:
			im->kind = WX_FUNC;
			im->type = u32(c);
			c->nfunc_imports++;
			m->nfuncs++;
			break;
		case 0x01:
			im->kind = WX_TABLE;
			tabletype(c, add_limits(&m->tables, &m->ntables));
			m->tables[m->ntables - 1].imported = true;
			note_table(c, at);
			break;
		case 0x02:
			im->kind = WX_MEMORY;
			limits(c, add_limits(&m->memories, &m->nmemories), true);
			m->memories[m->nmemories - 1].imported = true;
			note_memory(c, at);
			break;
		case 0x03: {
			im->kind = WX_GLOBAL;
			bool mut = globaltype(c);
			im->type = mut;
			add_global(c, mut);
			if (mut)
				use(c, WF_MUTABLE_GLOBALS, at, "import of mutable global %s.%s", im->module, im->name);
			break;
		}
		case 0x04:
			im->kind = WX_TAG;
			use(c, WF_EXCEPTIONS, at, "tag import %s.%s", im->module, im->name);
			tagtype(c);
			break;
		default:
			fail(c, at, "unknown import kind 0x%02x", k);
		}
	}
}

static void sec_function(struct ctx *c)
{
	uint32_t n = count(c, 1, "function");
	for (uint32_t i = 0; i < n; i++)
		u32(c);
	c->m->nfuncs += n;
}

/* ---- instructions ---- */

static void blocktype(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = peek(c);
	if (b == 0x40) {
		c->pos++;
		return;
	}
	/* single-byte negative s33 values are value types; anything else a type index */
	if (b >= 0x40 && b < 0x80) {
		valtype(c);
		return;
	}
	int64_t v = sleb(c, 33);
	if (v < 0)
		fail(c, at, "unknown block type");
	if ((uint64_t)v < c->ntypes && c->types[v].is_func && c->types[v].nparams == 0 &&
	    c->types[v].nresults <= 1)
		return;
	use(c, WF_MULTI_VALUE, at, "block with type index %lld", (long long)v);
}

static void memarg(struct ctx *c)
{
	size_t at = c->pos;
	uint32_t align = u32(c);
	if (align & 0x40) {
		uint32_t mem = u32(c);
		if (mem != 0)
			use(c, WF_MULTI_MEMORY, at, "access to memory %u", mem);
	}
	uint64_t off = uleb(c, 64);
	if (off > UINT32_MAX)
		use(c, WF_MEMORY64, at, "64-bit memory offset");
}

static void memidx(struct ctx *c)
{
	size_t at = c->pos;
	if (u32(c) != 0)
		use(c, WF_MULTI_MEMORY, at, "memory index other than 0");
}

static void op_fc(struct ctx *c, size_t at)
{
	uint32_t op = u32(c);
	if (op <= 7) {
		use(c, WF_SAT_FLOAT_TO_INT, at, "opcode 0xfc %u (trunc_sat)", op);
		return;
	}
	switch (op) {
	case 8:	/* memory.init */
		use(c, WF_BULK_MEMORY, at, "memory.init");
		u32(c);
		memidx(c);
		return;
	case 9:
		use(c, WF_BULK_MEMORY, at, "data.drop");
		u32(c);
		return;
	case 10:
		use(c, WF_BULK_MEMORY, at, "memory.copy");
		memidx(c);
		memidx(c);
		return;
	case 11:
		use(c, WF_BULK_MEMORY, at, "memory.fill");
		memidx(c);
		return;
	case 12: case 14:
		use(c, WF_BULK_MEMORY, at, "%s", op == 12 ? "table.init" : "table.copy");
		u32(c);
		u32(c);
		return;
	case 13:
		use(c, WF_BULK_MEMORY, at, "elem.drop");
		u32(c);
		return;
	case 15: case 16: case 17:
		use(c, WF_BULK_MEMORY, at, "%s", op == 15 ? "table.grow" : op == 16 ? "table.size" : "table.fill");
		use(c, WF_REFERENCE_TYPES, at, "%s", op == 15 ? "table.grow" : op == 16 ? "table.size" : "table.fill");
		u32(c);
		return;
	default:
		fail(c, at, "unknown opcode 0xfc %u", op);
	}
}

static bool simd_reserved(uint32_t op)
{
	static const uint16_t r[] = { 0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb,
		0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee };
	for (size_t i = 0; i < sizeof r / sizeof *r; i++)
		if (r[i] == op)
			return true;
	return false;
}

static void op_fd(struct ctx *c, size_t at)
{
	uint32_t op = u32(c);
	if (op >= 0x100 && op <= 0x113) {
		use(c, WF_SIMD, at, "opcode 0xfd 0x%x (relaxed SIMD)", op);
		use(c, WF_RELAXED_SIMD, at, "opcode 0xfd 0x%x", op);
		return;
	}
	if (op > 0xff || simd_reserved(op))
		fail(c, at, "unknown opcode 0xfd 0x%x", op);
	use(c, WF_SIMD, at, "opcode 0xfd 0x%x", op);
	if (op <= 0x0b || op == 0x5c || op == 0x5d) {
		memarg(c);
	} else if (op == 0x0c || op == 0x0d) {
		skip(c, 16, op == 0x0c ? "v128.const immediate" : "i8x16.shuffle lanes");
	} else if (op >= 0x15 && op <= 0x22) {
		u8(c);
	} else if (op >= 0x54 && op <= 0x5b) {
		memarg(c);
		u8(c);
	}
}

static void op_fe(struct ctx *c, size_t at)
{
	uint32_t op = u32(c);
	if (op == 3) {
		size_t z = c->pos;
		if (u8(c) != 0)
			fail(c, z, "atomic.fence takes a zero byte");
	} else if (op <= 2 || (op >= 0x10 && op <= 0x4e)) {
		memarg(c);
	} else {
		fail(c, at, "unknown opcode 0xfe 0x%x", op);
	}
	use(c, WF_THREADS, at, "opcode 0xfe 0x%x (atomics)", op);
}

static void op_fb(struct ctx *c, size_t at)
{
	uint32_t op = u32(c);
	if (op > 30)
		fail(c, at, "unknown opcode 0xfb %u", op);
	use(c, WF_GC, at, "opcode 0xfb %u (GC)", op);
	switch (op) {
	case 0: case 1: case 6: case 7: case 11: case 12: case 13: case 14: case 16:
		u32(c);
		break;
	case 2: case 3: case 4: case 5: case 8: case 9: case 10: case 17: case 18: case 19:
		u32(c);
		u32(c);
		break;
	case 20: case 21: case 22: case 23:
		heaptype(c);
		break;
	case 24: case 25: {
		size_t f = c->pos;
		if (u8(c) > 3)
			fail(c, f, "br_on_cast flags must be 0..3");
		u32(c);
		heaptype(c);
		heaptype(c);
		break;
	}
	default:	/* 15 array.len, 26..30: no immediates */
		break;
	}
}

/* Decodes instructions until the 'end' closing depth 0. 'konst': a constant
 * expression (extended-const arithmetic is noted). */
static void expr(struct ctx *c, bool konst)
{
	size_t depth = 0;
	for (;;) {
		size_t at = c->pos;
		uint8_t op = u8(c);
		if (!konst)
			c->m->ninstrs++;
		switch (op) {
		case 0x00: case 0x01: case 0x0f: case 0x1a: case 0x1b:
			break;
		case 0x02: case 0x03: case 0x04:
			blocktype(c);
			depth++;
			break;
		case 0x05:
			break;
		case 0x06:	/* try (legacy exception handling) */
			use(c, WF_EXCEPTIONS, at, "try");
			blocktype(c);
			depth++;
			break;
		case 0x07: case 0x08: case 0x09:
			use(c, WF_EXCEPTIONS, at, "%s", op == 0x07 ? "catch" : op == 0x08 ? "throw" : "rethrow");
			u32(c);
			break;
		case 0x0a:
			use(c, WF_EXCEPTIONS, at, "throw_ref");
			break;
		case 0x19:
			use(c, WF_EXCEPTIONS, at, "catch_all");
			break;
		case 0x18:	/* delegate ends a try block */
			use(c, WF_EXCEPTIONS, at, "delegate");
			u32(c);
			if (depth == 0)
				fail(c, at, "delegate without an enclosing try");
			depth--;
			break;
		case 0x1f: {	/* try_table */
			use(c, WF_EXCEPTIONS, at, "try_table");
			blocktype(c);
			uint32_t n = count(c, 2, "catch clause");
			for (uint32_t i = 0; i < n; i++) {
				size_t k = c->pos;
				uint8_t kind = u8(c);
				if (kind > 3)
					fail(c, k, "unknown catch clause kind 0x%02x", kind);
				if (kind < 2)
					u32(c);
				u32(c);
			}
			depth++;
			break;
		}
		case 0x0b:
			if (depth == 0)
				return;
			depth--;
			break;
		case 0x0c: case 0x0d: case 0x10:
		case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
			u32(c);
			break;
		case 0x0e: {
			uint32_t n = count(c, 1, "br_table target");
			for (uint32_t i = 0; i <= n; i++)
				u32(c);
			break;
		}
		case 0x11: {
			u32(c);
			size_t t = c->pos;
			if (u32(c) != 0)
				use(c, WF_REFERENCE_TYPES, t, "call_indirect through a table other than 0");
			break;
		}
		case 0x12:
			use(c, WF_TAIL_CALL, at, "return_call");
			u32(c);
			break;
		case 0x13:
			use(c, WF_TAIL_CALL, at, "return_call_indirect");
			u32(c);
			u32(c);
			break;
		case 0x14:
			use(c, WF_FUNCTION_REFERENCES, at, "call_ref");
			u32(c);
			break;
		case 0x15:
			use(c, WF_TAIL_CALL, at, "return_call_ref");
			use(c, WF_FUNCTION_REFERENCES, at, "return_call_ref");
			u32(c);
			break;
		case 0x1c: {
			use(c, WF_REFERENCE_TYPES, at, "typed select");
			uint32_t n = count(c, 1, "select type");
			for (uint32_t i = 0; i < n; i++)
				valtype(c);
			break;
		}
		case 0x25: case 0x26:
			use(c, WF_REFERENCE_TYPES, at, "%s", op == 0x25 ? "table.get" : "table.set");
			u32(c);
			break;
		case 0x3f: case 0x40:
			memidx(c);
			break;
		case 0x41:
			sleb(c, 32);
			break;
		case 0x42:
			sleb(c, 64);
			break;
		case 0x43:
			skip(c, 4, "f32.const immediate");
			break;
		case 0x44:
			skip(c, 8, "f64.const immediate");
			break;
		case 0xd0:
			use(c, WF_REFERENCE_TYPES, at, "ref.null");
			heaptype(c);
			break;
		case 0xd1:
			use(c, WF_REFERENCE_TYPES, at, "ref.is_null");
			break;
		case 0xd2:
			use(c, WF_REFERENCE_TYPES, at, "ref.func");
			u32(c);
			break;
		case 0xd3:
			use(c, WF_GC, at, "ref.eq");
			break;
		case 0xd4:
			use(c, WF_FUNCTION_REFERENCES, at, "ref.as_non_null");
			break;
		case 0xd5: case 0xd6:
			use(c, WF_FUNCTION_REFERENCES, at, "%s", op == 0xd5 ? "br_on_null" : "br_on_non_null");
			u32(c);
			break;
		case 0xfb:
			op_fb(c, at);
			break;
		case 0xfc:
			op_fc(c, at);
			break;
		case 0xfd:
			op_fd(c, at);
			break;
		case 0xfe:
			op_fe(c, at);
			break;
		default:
			if (op >= 0x28 && op <= 0x3e) {
				memarg(c);
			} else if (op >= 0x45 && op <= 0xbf) {
				if (konst && (op == 0x6a || op == 0x6b || op == 0x6c || op == 0x7c || op == 0x7d ||
					      op == 0x7e))
					use(c, WF_EXTENDED_CONST, at, "arithmetic opcode 0x%02x in a constant expression", op);
			} else if (op >= 0xc0 && op <= 0xc4) {
				use(c, WF_SIGN_EXT, at, "opcode 0x%02x (sign extension)", op);
			} else {
				fail(c, at, "unknown opcode 0x%02x", op);
			}
		}
	}
}

static void sec_table(struct ctx *c)
{
	uint32_t n = count(c, 2, "table");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		struct wasm_limits *l = add_limits(&c->m->tables, &c->m->ntables);
		if (peek(c) == 0x40) {	/* table with an initialiser */
			c->pos++;
			if (u8(c) != 0)
				fail(c, at + 1, "table initialiser prefix must be 0x40 0x00");
			use(c, WF_FUNCTION_REFERENCES, at, "table with an initialiser");
			tabletype(c, l);
			expr(c, true);
		} else {
			tabletype(c, l);
		}
		note_table(c, at);
	}
}

static void sec_memory(struct ctx *c)
{
	uint32_t n = count(c, 2, "memory");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		limits(c, add_limits(&c->m->memories, &c->m->nmemories), true);
		note_memory(c, at);
	}
}

static void sec_global(struct ctx *c)
{
	uint32_t n = count(c, 3, "global");
	for (uint32_t i = 0; i < n; i++) {
		add_global(c, globaltype(c));
		expr(c, true);
	}
}

static void sec_export(struct ctx *c)
{
	struct wasm_module *m = c->m;
	uint32_t n = count(c, 3, "export");
	m->exports = xrealloc(m->exports, (m->nexports + n + 1) * sizeof *m->exports);
	for (uint32_t i = 0; i < n; i++) {
		struct wasm_export *ex = &m->exports[m->nexports];
		memset(ex, 0, sizeof *ex);
		ex->name = name(c);
		m->nexports++;
		size_t at = c->pos;
		uint8_t k = u8(c);
		if (k > 4)
			fail(c, at, "unknown export kind 0x%02x", k);
		ex->kind = (enum wasm_extern)k;
		ex->index = u32(c);
		if (k == 3 && ex->index < c->ngmut && c->gmut[ex->index])
			use(c, WF_MUTABLE_GLOBALS, at, "export of mutable global '%s'", ex->name);
		if (k == 4)
			use(c, WF_EXCEPTIONS, at, "tag export '%s'", ex->name);
	}
}

static void sec_elem(struct ctx *c)
{
	uint32_t n = count(c, 1, "element segment");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		uint32_t flags = u32(c);
		if (flags > 7)
			fail(c, at, "unknown element segment flags %u", flags);
		c->m->nelems++;
		if (flags & 1)
			use(c, WF_BULK_MEMORY, at, "%s element segment", flags & 2 ? "declarative" : "passive");
		if (flags & 4)
			use(c, WF_REFERENCE_TYPES, at, "element segment of expressions");
		if (flags == 2 || flags == 6) {
			size_t t = c->pos;
			if (u32(c) != 0)
				use(c, WF_REFERENCE_TYPES, t, "element segment for a table other than 0");
		}
		if (!(flags & 1))
			expr(c, true);	/* active: offset */
		if (flags & 3) {	/* elemkind or reftype */
			if (flags & 4) {
				reftype(c);
			} else {
				size_t k = c->pos;
				if (u8(c) != 0)
					fail(c, k, "element kind must be 0 (funcref)");
			}
		}
		uint32_t m = count(c, 1, "element");
		for (uint32_t j = 0; j < m; j++) {
			if (flags & 4)
				expr(c, true);
			else
				u32(c);
		}
	}
}

static void sec_code(struct ctx *c)
{
	uint32_t n = count(c, 1, "function body");
	size_t saved_end = c->end;
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		uint32_t size = u32(c);
		if (size > left(c))
			fail(c, at, "function body of %u bytes runs past the section end (%zu left)", size, left(c));
		size_t body_end = c->pos + size;
		c->end = body_end;
		c->func = c->nfunc_imports + i;
		uint32_t nl = count(c, 2, "local declaration");
		uint64_t total = 0;
		for (uint32_t j = 0; j < nl; j++) {
			size_t lat = c->pos;
			total += u32(c);
			if (total > 50000)
				fail(c, lat, "more than 50000 locals");
			valtype(c);
		}
		expr(c, false);
		if (c->pos != body_end)
			fail(c, c->pos, "%zu bytes after the final 'end' of the function body", body_end - c->pos);
		c->func = SIZE_MAX;
		c->end = saved_end;
		c->m->ncode++;
	}
}

static void sec_data(struct ctx *c)
{
	uint32_t n = count(c, 1, "data segment");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		uint32_t flags = u32(c);
		if (flags > 2)
			fail(c, at, "unknown data segment flags %u", flags);
		if (flags == 1)
			use(c, WF_BULK_MEMORY, at, "passive data segment");
		if (flags == 2)
			memidx(c);
		if (flags != 1)
			expr(c, true);
		size_t lat = c->pos;
		uint32_t len = u32(c);
		if (len > left(c))
			fail(c, lat, "data segment of %u bytes runs past the section end (%zu left)", len, left(c));
		c->pos += len;
		c->m->ndata++;
	}
}

static void sec_tag(struct ctx *c)
{
	uint32_t n = count(c, 2, "tag");
	for (uint32_t i = 0; i < n; i++) {
		use(c, WF_EXCEPTIONS, c->pos, "tag section");
		tagtype(c);
	}
}

static void add_custom(struct ctx *c, const char *s)
{
	struct wasm_module *m = c->m;
	if (m->ncustoms >= WASM_MAX_CUSTOMS)
		return;
	m->customs = xrealloc(m->customs, (m->ncustoms + 1) * sizeof *m->customs);
	m->customs[m->ncustoms++] = xstrdup(s);
}

static void custom(struct ctx *c)
{
	char *s = name(c);
	add_custom(c, s);
	free(s);
	c->pos = c->end;
}

/* ---- components ----
 *
 * Every section of a component is read to its end (the canonical-function and start
 * sections are skipped by their length: nothing shown comes from them). Three index
 * spaces are followed, types, instances and components, each index holding the member
 * list of what it names (or 0), so that an imported instance shows the exports its type
 * declares and an exported one the names of the instance it exports. The member lists
 * live once in m->lists, so a type named by many imports costs nothing per import. */

static int parse_binary(struct wasm_module *m, const uint8_t *buf, size_t start, size_t end,
			int depth, const char *where, char **err);

static void space_push(struct space *s, uint32_t list)
{
	if (s->n == s->a) {
		s->a = s->a ? s->a * 2 : 16;
		s->v = xrealloc(s->v, s->a * sizeof *s->v);
	}
	s->v[s->n++] = list;
}

static uint32_t space_get(const struct space *s, uint32_t idx)
{
	return idx < s->n ? s->v[idx] : 0;
}

/* A new empty member list; returns its id (index + 1). */
static uint32_t new_list(struct ctx *c)
{
	struct wasm_module *m = c->m;
	if (m->nlists >= UINT32_MAX - 1)
		fail(c, c->pos, "too many member lists");
	if ((m->nlists & (m->nlists - 1)) == 0)
		m->lists = xrealloc(m->lists, (m->nlists ? m->nlists * 2 : 4) * sizeof *m->lists);
	m->lists[m->nlists] = (struct wasm_members){ NULL, 0 };
	return (uint32_t)++m->nlists;
}

/* Adds a member (name owned by the list from here on) and returns its index. */
static size_t list_add(struct ctx *c, uint32_t id, char *nm, enum wasm_extern kind)
{
	struct wasm_members *l = &c->m->lists[id - 1];
	if ((l->n & (l->n - 1)) == 0)
		l->v = xrealloc(l->v, (l->n ? l->n * 2 : 4) * sizeof *l->v);
	l->v[l->n] = (struct wasm_member){ nm, kind };
	return l->n++;
}

static void list_kind(struct ctx *c, uint32_t id, size_t i, enum wasm_extern kind)
{
	c->m->lists[id - 1].v[i].kind = kind;
}

const struct wasm_members *wasm_members_of(const struct wasm_module *m, uint32_t members)
{
	return members && members <= m->nlists ? &m->lists[members - 1] : NULL;
}

static void merge_features(struct ctx *c, const struct wasm_module *in)
{
	for (int f = 0; f < WF__COUNT; f++) {
		struct wasm_use *u = &c->m->features[f];
		u->count += in->features[f].count;
		if (!u->first && in->features[f].first)
			u->first = xstrdup(in->features[f].first);
	}
	c->m->ninstrs += in->ninstrs;
}

/* Keeps a nested core module (moved from *in) in m->cores, while there is room. */
static void keep_core(struct wasm_module *m, struct wasm_module *in)
{
	if (m->ncores >= WASM_MAX_CORES) {
		wasm_module_release(in);
		return;
	}
	if ((m->ncores & (m->ncores - 1)) == 0)
		m->cores = xrealloc(m->cores, (m->ncores ? m->ncores * 2 : 4) * sizeof *m->cores);
	m->cores[m->ncores++] = *in;
	memset(in, 0, sizeof *in);
}

static void skip_name(struct ctx *c)
{
	size_t at = c->pos;
	uint32_t n = u32(c);
	if (n > left(c))
		fail(c, at, "name of %u bytes runs past the end (%zu left)", n, left(c));
	c->pos += n;
}

static void nested(struct ctx *c, bool component)
{
	if (c->depth + 1 >= WASM_MAX_DEPTH)
		fail(c, c->pos, "components nested more than %d deep", WASM_MAX_DEPTH);
	if (left(c) >= 8 && wasm_is_wasm(c->buf + c->pos, left(c)) && (c->buf[c->pos + 6] == 1) != component)
		fail(c, c->pos, "a %s section holds a %s", component ? "component" : "core module",
		     component ? "core module" : "component");
	struct wasm_module in;
	char *err = NULL;
	char *where = component ? xasprintf("%snested component #%zu: ", c->where, c->m->ncomponents + 1) :
		xasprintf("%score module #%zu: ", c->where, c->m->ncore_modules + 1);
	int rc = parse_binary(&in, c->buf, c->pos, c->end, c->depth + 1, where, &err);
	merge_features(c, &in);
	if (component) {
		c->m->ncomponents++;
		c->m->ncomponents += in.ncomponents;
		c->m->ncore_modules += in.ncore_modules;
		/* the component's exports are what an instance of it holds */
		uint32_t id = new_list(c);
		for (size_t i = 0; i < in.nexports; i++)
			list_add(c, id, xstrdup(in.exports[i].name), in.exports[i].kind);
		space_push(&c->ccomps, id);
		for (size_t i = 0; i < in.ncores; i++)
			keep_core(c->m, &in.cores[i]);
	} else {
		c->m->ncore_modules++;
		if (!in.component) {
			in.where = xstrndup(where, strlen(where) - 2);
			keep_core(c->m, &in);
		}
	}
	wasm_module_release(&in);
	if (rc < 0) {
		/* the nested error already names its offset, and once wrapped (by the innermost
		 * level, whose 'where' is the whole path) it goes up unchanged */
		c->err = !strncmp(err, "in ", 3) ? xstrdup(err) : xasprintf("in %.*s: %s", (int)strlen(where) - 2, where, err);
		free(err);
		free(where);
		longjmp(c->jb, 1);
	}
	free(err);
	free(where);
	c->pos = c->end;
}

static void comp_valtype(struct ctx *c)
{
	uint8_t b = peek(c);
	if ((b >= 0x73 && b <= 0x7f) || b == 0x64) {
		c->pos++;
		return;
	}
	size_t at = c->pos;
	if (sleb(c, 33) < 0)
		fail(c, at, "unknown component value type 0x%02x", b);
}

/* <T>? : 0x00, or 0x01 then T */
static bool present(struct ctx *c, const char *what)
{
	size_t at = c->pos;
	uint8_t f = u8(c);
	if (f > 1)
		fail(c, at, "expected 0x00 or 0x01 before an optional %s, got 0x%02x", what, f);
	return f;
}

/* A sort (sortidx, alias); returns the kind of what it names; *core (may be NULL): a
 * core sort. */
static enum wasm_extern comp_sort(struct ctx *c, bool *core)
{
	size_t at = c->pos;
	uint8_t s = u8(c);
	if (core)
		*core = s == 0x00;
	if (s == 0x00) {
		uint8_t cs = u8(c);
		switch (cs) {
		case 0x00: return WX_FUNC;
		case 0x01: return WX_TABLE;
		case 0x02: return WX_MEMORY;
		case 0x03: return WX_GLOBAL;
		case 0x04: return WX_TAG;
		case 0x10: return WX_TYPE;
		case 0x11: return WX_CORE_MODULE;
		case 0x12: return WX_INSTANCE;
		default: fail(c, at + 1, "unknown core sort 0x%02x", cs);
		}
	}
	static const enum wasm_extern k[] = { WX_FUNC, WX_COMPONENT_FUNC, WX_VALUE, WX_TYPE, WX_COMPONENT,
		WX_INSTANCE };
	if (s > 5)
		fail(c, at, "unknown sort 0x%02x", s);
	return k[s];
}

/* An extern descriptor; *ti (may be NULL) gets the type index it names for a func,
 * component, instance or (eq) type, or UINT32_MAX. */
static enum wasm_extern comp_externdesc(struct ctx *c, uint32_t *ti)
{
	size_t at = c->pos;
	uint8_t b = u8(c);
	uint32_t idx = UINT32_MAX;
	enum wasm_extern k;
	switch (b) {
	case 0x00:
		if (u8(c) != 0x11)
			fail(c, at + 1, "expected 0x11 (core module) in an extern descriptor");
		u32(c);
		k = WX_CORE_MODULE;
		break;
	case 0x01:
		idx = u32(c);
		k = WX_COMPONENT_FUNC;
		break;
	case 0x02:
		/* valuebound: 0x00 value index, 0x01 value type */
		if (present(c, "value type"))
			comp_valtype(c);
		else
			u32(c);
		k = WX_VALUE;
		break;
	case 0x03: {
		size_t t = c->pos;
		uint8_t bound = u8(c);
		if (bound == 0x00)
			idx = u32(c);
		else if (bound != 0x01)
			fail(c, t, "unknown type bound 0x%02x", bound);
		k = WX_TYPE;
		break;
	}
	case 0x04:
		idx = u32(c);
		k = WX_COMPONENT;
		break;
	case 0x05:
		idx = u32(c);
		k = WX_INSTANCE;
		break;
	default:
		fail(c, at, "unknown extern descriptor 0x%02x", b);
	}
	if (ti)
		*ti = idx;
	return k;
}

static char *comp_name(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t b = u8(c);
	if (b > 1)
		fail(c, at, "unknown name prefix 0x%02x", b);
	return name(c);
}

static void core_importdesc(struct ctx *c)
{
	size_t at = c->pos;
	uint8_t k = u8(c);
	struct wasm_limits l = { 0 };
	switch (k) {
	case 0x00: u32(c); break;
	case 0x01: tabletype(c, &l); break;
	case 0x02: limits(c, &l, true); break;
	case 0x03: globaltype(c); break;
	case 0x04: tagtype(c); break;
	default: fail(c, at, "unknown import kind 0x%02x", k);
	}
}

static void depth_check(struct ctx *c, int tdepth)
{
	if (tdepth > WASM_MAX_TYPE_DEPTH)
		fail(c, c->pos, "types nested more than %d deep", WASM_MAX_TYPE_DEPTH);
}

/* core:type in a component: a module type (0x50), a GC sub type after 0x00 (0x00 0x50:
 * 0x50 alone is the module type here), a rec group, or a plain core type. */
static void core_type(struct ctx *c, int tdepth)
{
	depth_check(c, tdepth);
	size_t at = c->pos;
	uint8_t b = peek(c);
	if (b == 0x50) {
		c->pos++;
		uint32_t n = count(c, 1, "module type declaration");
		for (uint32_t i = 0; i < n; i++) {
			size_t dat = c->pos;
			uint8_t d = u8(c);
			switch (d) {
			case 0x00:	/* import */
				skip_name(c);
				skip_name(c);
				core_importdesc(c);
				break;
			case 0x01:
				core_type(c, tdepth + 1);
				break;
			case 0x02: {	/* alias: core sort, then outer ct idx */
				size_t sat = c->pos;
				uint8_t cs = u8(c);
				if (cs > 0x04 && (cs < 0x10 || cs > 0x12))
					fail(c, sat, "unknown core sort 0x%02x", cs);
				size_t tat = c->pos;
				if (u8(c) != 0x01)
					fail(c, tat, "a core alias in a module type must be outer (0x01)");
				u32(c);
				u32(c);
				break;
			}
			case 0x03:	/* export */
				skip_name(c);
				core_importdesc(c);
				break;
			default:
				fail(c, dat, "unknown module type declaration 0x%02x", d);
			}
		}
		return;
	}
	if (b == 0x00) {
		c->pos++;
		uint8_t s = peek(c);
		if (s != 0x50 && s != 0x4f)
			fail(c, at, "expected a sub type after 0x00 in a core type");
		subtype(c);
		return;
	}
	if (b == 0x4e) {
		c->pos++;
		use(c, WF_GC, at, "rec group");
		uint32_t k = count(c, 1, "rec group member");
		for (uint32_t j = 0; j < k; j++)
			subtype(c);
		return;
	}
	subtype(c);
}

static void labelvaltypes(struct ctx *c, const char *what)
{
	uint32_t n = count(c, 2, what);
	for (uint32_t i = 0; i < n; i++) {
		skip_name(c);
		comp_valtype(c);
	}
}

static void comp_alias(struct ctx *c, bool track);
static uint32_t comp_deftype(struct ctx *c, int tdepth);

/* The declarations of a component type (component) or an instance type; returns the
 * list of its exports. */
static uint32_t comp_decls(struct ctx *c, bool component, int tdepth)
{
	uint32_t id = new_list(c);
	uint32_t n = count(c, 2, "type declaration");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		uint8_t d = u8(c);
		switch (d) {
		case 0x00:
			core_type(c, tdepth + 1);
			break;
		case 0x01:
			comp_deftype(c, tdepth + 1);
			break;
		case 0x02:
			comp_alias(c, false);
			break;
		case 0x03:
			if (!component)
				fail(c, at, "an import declaration in an instance type");
			free(comp_name(c));
			comp_externdesc(c, NULL);
			break;
		case 0x04: {
			size_t k = list_add(c, id, comp_name(c), WX_TYPE);
			list_kind(c, id, k, comp_externdesc(c, NULL));
			break;
		}
		default:
			fail(c, at, "unknown %s type declaration 0x%02x", component ? "component" : "instance", d);
		}
	}
	return id;
}

/* A type definition; returns the export list of a component or instance type, else 0. */
static uint32_t comp_deftype(struct ctx *c, int tdepth)
{
	depth_check(c, tdepth);
	size_t at = c->pos;
	uint8_t b = u8(c);
	if ((b >= 0x73 && b <= 0x7f) || b == 0x64)	/* primitive value types */
		return 0;
	switch (b) {
	case 0x72:	/* record */
		labelvaltypes(c, "record field");
		return 0;
	case 0x71: {	/* variant */
		uint32_t n = count(c, 3, "variant case");
		for (uint32_t i = 0; i < n; i++) {
			skip_name(c);
			if (present(c, "case type"))
				comp_valtype(c);
			if (present(c, "refines clause"))	/* 0x00 today; 0x01 idx in older binaries */
				u32(c);
		}
		return 0;
	}
	case 0x70: case 0x6b:	/* list, option */
		comp_valtype(c);
		return 0;
	case 0x67:	/* fixed-size list */
		comp_valtype(c);
		u32(c);
		return 0;
	case 0x6f: case 0x6c: {	/* tuple, union (older binaries) */
		uint32_t n = count(c, 1, "tuple member");
		for (uint32_t i = 0; i < n; i++)
			comp_valtype(c);
		return 0;
	}
	case 0x6e: case 0x6d: {	/* flags, enum */
		uint32_t n = count(c, 1, "label");
		for (uint32_t i = 0; i < n; i++)
			skip_name(c);
		return 0;
	}
	case 0x6a:	/* result */
		if (present(c, "result type"))
			comp_valtype(c);
		if (present(c, "error type"))
			comp_valtype(c);
		return 0;
	case 0x69: case 0x68:	/* own, borrow */
		u32(c);
		return 0;
	case 0x66: case 0x65:	/* stream, future */
		if (present(c, "element type"))
			comp_valtype(c);
		return 0;
	case 0x40: case 0x43: {	/* func, async func */
		labelvaltypes(c, "parameter");
		size_t r = c->pos;
		uint8_t rs = u8(c);
		if (rs == 0x00)
			comp_valtype(c);
		else if (rs == 0x01)
			labelvaltypes(c, "result");	/* 0x01 0x00 today: none */
		else
			fail(c, r, "unknown result list form 0x%02x", rs);
		return 0;
	}
	case 0x41:
		return comp_decls(c, true, tdepth);
	case 0x42:
		return comp_decls(c, false, tdepth);
	case 0x3f: case 0x3e: {	/* resource, async resource: rep i32, destructor, callback */
		size_t r = c->pos;
		if (u8(c) != 0x7f)
			fail(c, r, "a resource's representation must be i32 (0x7f)");
		if (b == 0x3e) {
			u32(c);
			if (present(c, "callback"))
				u32(c);
		} else if (present(c, "destructor")) {
			u32(c);
		}
		return 0;
	}
	default:
		fail(c, at, "unknown component type form 0x%02x", b);
	}
}

/* An alias; with track, the index it adds joins the component's index spaces. */
static void comp_alias(struct ctx *c, bool track)
{
	bool core;
	enum wasm_extern k = comp_sort(c, &core);
	size_t at = c->pos;
	uint8_t t = u8(c);
	switch (t) {
	case 0x00: case 0x01:	/* export of an instance, of a core instance */
		u32(c);
		skip_name(c);
		break;
	case 0x02:	/* outer */
		u32(c);
		u32(c);
		break;
	default:
		fail(c, at, "unknown alias target 0x%02x", t);
	}
	if (!track || core)
		return;
	if (k == WX_TYPE)
		space_push(&c->ctypes, 0);
	else if (k == WX_INSTANCE)
		space_push(&c->cinsts, 0);
	else if (k == WX_COMPONENT)
		space_push(&c->ccomps, 0);
}

static void comp_aliases(struct ctx *c)
{
	uint32_t n = count(c, 3, "alias");
	for (uint32_t i = 0; i < n; i++)
		comp_alias(c, true);
}

static void comp_types(struct ctx *c)
{
	uint32_t n = count(c, 1, "type");
	for (uint32_t i = 0; i < n; i++)
		space_push(&c->ctypes, comp_deftype(c, 0));
}

static void comp_core_types(struct ctx *c)
{
	uint32_t n = count(c, 1, "core type");
	for (uint32_t i = 0; i < n; i++)
		core_type(c, 0);
}

static void comp_core_instances(struct ctx *c)
{
	uint32_t n = count(c, 2, "core instance");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		uint8_t b = u8(c);
		if (b == 0x00) {	/* instantiate a module with named instances */
			u32(c);
			uint32_t na = count(c, 3, "instantiation argument");
			for (uint32_t j = 0; j < na; j++) {
				skip_name(c);
				size_t s = c->pos;
				if (u8(c) != 0x12)
					fail(c, s, "a core instantiation argument must be an instance (0x12)");
				u32(c);
			}
		} else if (b == 0x01) {	/* inline exports */
			uint32_t ne = count(c, 3, "core inline export");
			for (uint32_t j = 0; j < ne; j++) {
				skip_name(c);
				size_t s = c->pos;
				uint8_t cs = u8(c);
				if (cs > 0x04 && (cs < 0x10 || cs > 0x12))
					fail(c, s, "unknown core sort 0x%02x", cs);
				u32(c);
			}
		} else {
			fail(c, at, "unknown core instance form 0x%02x", b);
		}
	}
}

static void comp_instances(struct ctx *c)
{
	uint32_t n = count(c, 2, "instance");
	for (uint32_t i = 0; i < n; i++) {
		size_t at = c->pos;
		uint8_t b = u8(c);
		if (b == 0x00) {	/* instantiate a component: it holds the component's exports */
			uint32_t ci = u32(c);
			uint32_t na = count(c, 3, "instantiation argument");
			for (uint32_t j = 0; j < na; j++) {
				skip_name(c);
				comp_sort(c, NULL);
				u32(c);
			}
			space_push(&c->cinsts, space_get(&c->ccomps, ci));
		} else if (b == 0x01) {	/* inline exports */
			uint32_t id = new_list(c);
			uint32_t ne = count(c, 3, "inline export");
			for (uint32_t j = 0; j < ne; j++) {
				size_t k = list_add(c, id, comp_name(c), WX_FUNC);
				list_kind(c, id, k, comp_sort(c, NULL));
				u32(c);
			}
			space_push(&c->cinsts, id);
		} else {
			fail(c, at, "unknown instance form 0x%02x", b);
		}
	}
}

/* What an import or export of kind k and type index ti (or sort index) holds. */
static uint32_t members_of_type(struct ctx *c, enum wasm_extern k, uint32_t ti)
{
	return (k == WX_INSTANCE || k == WX_COMPONENT) && ti != UINT32_MAX ? space_get(&c->ctypes, ti) : 0;
}

static void comp_imports(struct ctx *c)
{
	struct wasm_module *m = c->m;
	uint32_t n = count(c, 4, "import");
	m->imports = xrealloc(m->imports, (m->nimports + n + 1) * sizeof *m->imports);
	for (uint32_t i = 0; i < n; i++) {
		struct wasm_import *im = &m->imports[m->nimports];
		memset(im, 0, sizeof *im);
		im->name = comp_name(c);
		im->module = xstrdup("");
		m->nimports++;
		uint32_t ti;
		im->kind = comp_externdesc(c, &ti);
		im->members = members_of_type(c, im->kind, ti);
		if (im->kind == WX_INSTANCE)
			space_push(&c->cinsts, im->members);
		else if (im->kind == WX_COMPONENT)
			space_push(&c->ccomps, im->members);
		else if (im->kind == WX_TYPE)
			space_push(&c->ctypes, 0);
	}
}

static void comp_exports(struct ctx *c)
{
	struct wasm_module *m = c->m;
	uint32_t n = count(c, 5, "export");
	m->exports = xrealloc(m->exports, (m->nexports + n + 1) * sizeof *m->exports);
	for (uint32_t i = 0; i < n; i++) {
		struct wasm_export *ex = &m->exports[m->nexports];
		memset(ex, 0, sizeof *ex);
		ex->name = comp_name(c);
		m->nexports++;
		size_t at = c->pos;
		bool core;
		ex->kind = comp_sort(c, &core);
		if (core && ex->kind != WX_CORE_MODULE)
			fail(c, at, "a component exports no core sort but a core module");
		ex->index = u32(c);
		if (ex->kind == WX_INSTANCE)
			ex->members = space_get(&c->cinsts, ex->index);
		else if (ex->kind == WX_COMPONENT)
			ex->members = space_get(&c->ccomps, ex->index);
		if (present(c, "export type")) {
			uint32_t ti;
			enum wasm_extern k = comp_externdesc(c, &ti);
			uint32_t l = members_of_type(c, k, ti);
			if (l)
				ex->members = l;	/* the ascribed type says what is visible */
		}
		/* an export adds an index too */
		if (ex->kind == WX_INSTANCE)
			space_push(&c->cinsts, ex->members);
		else if (ex->kind == WX_COMPONENT)
			space_push(&c->ccomps, ex->members);
		else if (ex->kind == WX_TYPE)
			space_push(&c->ctypes, 0);
	}
}

static void component_sections(struct ctx *c, size_t end)
{
	while (c->pos < end) {
		c->end = end;
		size_t at = c->pos;
		uint8_t id = u8(c);
		uint32_t size = u32(c);
		if (size > left(c))
			fail(c, at, "section %u of %u bytes runs past the end (%zu left)", id, size, left(c));
		c->end = c->pos + size;
		switch (id) {
		case 0: custom(c); break;
		case 1: nested(c, false); break;
		case 2: comp_core_instances(c); break;
		case 3: comp_core_types(c); break;
		case 4: nested(c, true); break;
		case 5: comp_instances(c); break;
		case 6: comp_aliases(c); break;
		case 7: comp_types(c); break;
		case 8: case 9:	/* canonical functions, start: nothing shown comes from them */
			c->pos = c->end;
			break;
		case 10: comp_imports(c); break;
		case 11: comp_exports(c); break;
		default:
			fail(c, at, "unknown component section id %u", id);
		}
		if (c->pos != c->end)
			fail(c, c->pos, "section %u has %zu bytes left over", id, c->end - c->pos);
	}
}

/* ---- what a component is for ---- */

/* The version of a "ns:pkg/iface@version" name: the text after the last '@', or NULL. */
static const char *at_version(const char *name)
{
	const char *a = strrchr(name, '@');
	return a ? a + 1 : NULL;
}

const char *wasm_component_wasi(const struct wasm_module *m)
{
	if (!m->component)
		return NULL;
	const char *v = NULL;
	for (size_t i = 0; i < m->nimports + m->nexports; i++) {
		const char *n = i < m->nimports ? m->imports[i].name : m->exports[i - m->nimports].name;
		if (strncmp(n, "wasi:", 5))
			continue;
		const char *ver = at_version(n);
		if (ver && !strncmp(ver, "0.3", 3) && (ver[3] == '.' || ver[3] == '-' || !ver[3]))
			return "0.3";
		v = "0.2";
	}
	return v;
}

/* Does m export iface (at any version)? *why gets the export, the one at @0.3 when there
 * are several (0.3 components also export wasi:cli/run@0.2.0, for 0.2 hosts). */
static bool exports_iface(const struct wasm_module *m, const char *iface, const char **why)
{
	size_t n = strlen(iface);
	const char *found = NULL;
	for (size_t i = 0; i < m->nexports; i++) {
		const char *e = m->exports[i].name;
		if (strncmp(e, iface, n) || (e[n] != '@' && e[n]))
			continue;
		if (!found || (e[n] == '@' && !strncmp(e + n + 1, "0.3", 3)))
			found = e;
	}
	if (found && why)
		*why = found;
	return found != NULL;
}

const char *wasm_component_world(const struct wasm_module *m, const char **why)
{
	if (!m->component)
		return NULL;
	if (exports_iface(m, "wasi:http/incoming-handler", why) || exports_iface(m, "wasi:http/handler", why))
		return "wasi:http/service";
	if (exports_iface(m, "wasi:cli/run", why))
		return "wasi:cli/command";
	return NULL;
}

/* ---- core modules ---- */

static void module_sections(struct ctx *c, size_t end)
{
	while (c->pos < end) {
		c->end = end;
		size_t at = c->pos;
		uint8_t id = u8(c);
		uint32_t size = u32(c);
		if (size > left(c))
			fail(c, at, "section %u of %u bytes runs past the end (%zu left)", id, size, left(c));
		c->end = c->pos + size;
		switch (id) {
		case 0: custom(c); break;
		case 1: sec_type(c); break;
		case 2: sec_import(c); break;
		case 3: sec_function(c); break;
		case 4: sec_table(c); break;
		case 5: sec_memory(c); break;
		case 6: sec_global(c); break;
		case 7: sec_export(c); break;
		case 8: u32(c); c->m->has_start = true; break;
		case 9: sec_elem(c); break;
		case 10: sec_code(c); break;
		case 11: sec_data(c); break;
		case 12: u32(c); use(c, WF_BULK_MEMORY, at, "data count section"); break;
		case 13: sec_tag(c); break;
		default:
			fail(c, at, "unknown section id %u", id);
		}
		if (c->pos != c->end)
			fail(c, c->pos, "section %u has %zu bytes left over", id, c->end - c->pos);
	}
}

static int parse_binary(struct wasm_module *m, const uint8_t *buf, size_t start, size_t end,
			int depth, const char *where, char **err)
{
	memset(m, 0, sizeof *m);
	*err = NULL;
	m->size = end - start;
	struct ctx *c = xcalloc(1, sizeof *c);
	c->m = m;
	c->buf = buf;
	c->pos = start;
	c->end = end;
	c->depth = depth;
	c->func = SIZE_MAX;
	c->where = where;
	int rc = 0;
	if (setjmp(c->jb)) {
		rc = -1;
		*err = c->err;
		c->err = NULL;
		goto out;
	}
	if (end - start < 8 || !wasm_is_wasm(buf + start, end - start))
		fail(c, start, "not a WebAssembly binary (no \\0asm magic)");
	m->version = buf[start + 4] | buf[start + 5] << 8;
	m->layer = buf[start + 6] | buf[start + 7] << 8;
	c->pos = start + 8;
	if (m->layer == 0 && m->version == 1) {
		module_sections(c, end);
	} else if (m->layer == 1) {
		m->component = true;
		component_sections(c, end);
	} else {
		fail(c, start + 4, "unsupported binary version %u (layer %u)", m->version, m->layer);
	}
out:
	free(c->types);
	free(c->gmut);
	free(c->ctypes.v);
	free(c->cinsts.v);
	free(c->ccomps.v);
	free(c->err);
	free(c);
	return rc;
}

bool wasm_is_wasm(const unsigned char *data, size_t len)
{
	return len >= 4 && !memcmp(data, "\0asm", 4);
}

int wasm_parse(struct wasm_module *m, const unsigned char *data, size_t len, char **err)
{
	return parse_binary(m, data, 0, len, 0, "", err);
}

void wasm_module_release(struct wasm_module *m)
{
	for (size_t i = 0; i < m->nimports; i++) {
		free(m->imports[i].module);
		free(m->imports[i].name);
	}
	free(m->imports);
	for (size_t i = 0; i < m->nexports; i++)
		free(m->exports[i].name);
	free(m->exports);
	free(m->memories);
	free(m->tables);
	for (size_t i = 0; i < m->ncustoms; i++)
		free(m->customs[i]);
	free(m->customs);
	for (int f = 0; f < WF__COUNT; f++)
		free(m->features[f].first);
	for (size_t i = 0; i < m->nlists; i++) {
		for (size_t k = 0; k < m->lists[i].n; k++)
			free(m->lists[i].v[k].name);
		free(m->lists[i].v);
	}
	free(m->lists);
	for (size_t i = 0; i < m->ncores; i++)
		wasm_module_release(&m->cores[i]);
	free(m->cores);
	free(m->where);
	memset(m, 0, sizeof *m);
}
