/* strset.h - a set of byte strings, each with a size_t value, for linear-time
 * duplicate checks and lookups on input of any size. Keys are borrowed: the caller keeps
 * them alive and unchanged while they are in the set. Up to 8 keys are scanned in order
 * (no hashing); beyond that, open addressing (linear probing) on SipHash-1-3 with a key
 * drawn from getrandom() per set, so crafted input cannot force collisions.
 * strset_release() frees the table, never the keys. */
#ifndef WM_STRSET_H
#define WM_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset_slot {
	const char *key;	/* NULL: empty slot */
	size_t len, val;
	unsigned long long hash;
};
struct strset {
	struct strset_slot *slots;
	size_t n, cap;		/* hashed when cap > STRSET_SMALL */
	unsigned long long k0, k1;
};
#define STRSET_SMALL 8
#define STRSET_INIT { NULL, 0, 0, 0, 0 }
void strset_init(struct strset *s);
void strset_release(struct strset *s);
/* Adds key -> val and returns true; when the key is already in the set, changes nothing
 * and returns false with the value it has in *old (when old is not NULL). */
bool strset_add(struct strset *s, const char *key, size_t len, size_t val, size_t *old);
/* true with the key's value in *val (when not NULL), or false when absent. */
bool strset_get(const struct strset *s, const char *key, size_t len, size_t *val);
/* Replaces the value of a key already in the set (false when absent). */
bool strset_set(struct strset *s, const char *key, size_t len, size_t val);

#endif
