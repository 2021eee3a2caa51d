/* wasm.h - a bounds-checked reader of WebAssembly binaries (core modules and components)
 * for `wasmatrix inspect` and `wasmatrix check`: imports, exports, memories, tables and
 * the post-MVP features a module uses, found from its sections, types and opcodes.
 * Nothing in the input is trusted: every length, count and index is checked against
 * what is left, LEB128 overflow is an error, and nothing recurses without a depth limit.
 * A struct wasm_module owns everything in it; wasm_module_release() frees it. */
#ifndef WM_WASM_H
#define WM_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wasm_feature {
	WF_SIMD, WF_RELAXED_SIMD, WF_THREADS, WF_SHARED_MEMORY, WF_BULK_MEMORY,
	WF_REFERENCE_TYPES, WF_MULTI_VALUE, WF_SIGN_EXT, WF_SAT_FLOAT_TO_INT,
	WF_MUTABLE_GLOBALS, WF_TAIL_CALL, WF_EXCEPTIONS, WF_GC, WF_FUNCTION_REFERENCES,
	WF_MEMORY64, WF_MULTI_MEMORY, WF_EXTENDED_CONST, WF__COUNT
};

/* Short name ("simd", "tail-call", ...), the vocabulary of suites' `requires`. */
const char *wasm_feature_name(enum wasm_feature f);
/* Human title ("SIMD (128-bit)", ...). */
const char *wasm_feature_title(enum wasm_feature f);

/* Kinds of imports and exports. Component-level ones follow the core ones. */
enum wasm_extern {
	WX_FUNC, WX_TABLE, WX_MEMORY, WX_GLOBAL, WX_TAG,
	WX_CORE_MODULE, WX_COMPONENT_FUNC, WX_VALUE, WX_TYPE, WX_COMPONENT, WX_INSTANCE,
	WX__COUNT
};
const char *wasm_extern_name(enum wasm_extern k);

/* What an imported or exported component instance (or component) holds, by name: the
 * export declarations of its instance type, or the names of the instance it exports. */
struct wasm_member {
	char *name;
	enum wasm_extern kind;
};
struct wasm_members {
	struct wasm_member *v;
	size_t n;
};

struct wasm_import {
	char *module;		/* "" for a component's imports */
	char *name;
	enum wasm_extern kind;
	uint32_t type;		/* function: type index; global: mutable (0/1) */
	uint32_t members;	/* components: 1 + index into wasm_module.lists, or 0 (not known) */
};

struct wasm_export {
	char *name;
	enum wasm_extern kind;
	uint32_t index;
	uint32_t members;	/* as wasm_import.members */
};

struct wasm_limits {
	uint64_t min, max;
	bool has_max, shared, is64;
	bool imported;
	uint8_t reftype;	/* tables: element type byte (0x70 funcref, ...) */
};

/* Where a feature was first seen, and how often. */
struct wasm_use {
	size_t count;
	char *first;		/* e.g. "opcode 0xfd 12 (SIMD) in function 3 at offset 0x1a2" */
};

struct wasm_module {
	bool component;
	unsigned version, layer;
	size_t size;
	struct wasm_import *imports;
	size_t nimports;
	struct wasm_export *exports;
	size_t nexports;
	struct wasm_limits *memories, *tables;
	size_t nmemories, ntables;
	size_t ntypes, nfuncs, nglobals, ntags, ndata, nelems, ncode;
	size_t ninstrs;		/* instructions decoded in code bodies */
	size_t ncore_modules, ncomponents;	/* nested, for components (at every depth) */
	/* components: the member lists of imports and exports (shared, so a type named by many
	 * imports is held once), and the nested core modules themselves, depth first, the
	 * first WASM_MAX_CORES of them (ncore_modules counts them all) */
	struct wasm_members *lists;
	size_t nlists;
	struct wasm_module *cores;
	size_t ncores;
	char *where;		/* a nested core module: "core module #2", "nested component #1:
				 * core module #1"; NULL at the top */
	bool has_start;
	char **customs;		/* custom section names (at most WASM_MAX_CUSTOMS) */
	size_t ncustoms;
	struct wasm_use features[WF__COUNT];
};

#define WASM_MAX_CUSTOMS 64
#define WASM_MAX_CORES 64

/* The members of a component import or export (NULL when not known). */
const struct wasm_members *wasm_members_of(const struct wasm_module *m, uint32_t members);

/* A component's WASI version from the versions of the wasi: interfaces it imports and
 * exports: "0.3" when one is at @0.3, "0.2" when one is at @0.2 (or any other), NULL
 * when it names none (not a component, or no wasi: interface). */
const char *wasm_component_wasi(const struct wasm_module *m);
/* The world a component targets, told from its exports: "wasi:http/service" when it
 * exports wasi:http/incoming-handler (0.2, whose world is named wasi:http/proxy) or
 * wasi:http/handler (0.3); else "wasi:cli/command" when it exports wasi:cli/run; else
 * NULL (not told). *why (may be NULL) gets the export that told it, borrowed. */
const char *wasm_component_world(const struct wasm_module *m, const char **why);

/* True when data starts like a WebAssembly binary (magic only). */
bool wasm_is_wasm(const unsigned char *data, size_t len);

/* Reads data into m (which it initialises). Returns 0, or -1 with *err (malloc'd), e.g.
 * "unknown opcode 0xfb 0x99 at offset 0x1234 (function 7)"; what was read before the
 * error stays in m and must still be released. */
int wasm_parse(struct wasm_module *m, const unsigned char *data, size_t len, char **err);
void wasm_module_release(struct wasm_module *m);

bool wasm_uses(const struct wasm_module *m, enum wasm_feature f);

#endif
