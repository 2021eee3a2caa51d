/* suitetree.h - the tree a suite may name files in (modules, fixtures, stdin files): the
 * suite's directory, or the nearest ancestor holding SUITETREE_ROOT_MARKER. Paths are
 * resolved with realpath and must stay in that tree (docs/suite-format.md, "Paths and the
 * sandbox"). Strings returned through 'why' or 'out' or as results are malloc'd and freed
 * by the caller. */
#ifndef WM_SUITETREE_H
#define WM_SUITETREE_H

/* The tree a suite in directory 'dir' (canonical) may name files in: the nearest of
 * 'dir' and its ancestors that holds a regular file named SUITETREE_ROOT_MARKER, else 'dir'. */
#define SUITETREE_ROOT_MARKER ".wasmatrix-suite-root"
char *suitetree_root(const char *dir);
/* Resolves 'rel' (relative to 'base') with every link followed and checks that it lies
 * in 'root' (both canonical). Returns 0 with *out (canonical); -1 with *why when
 * 'rel' is absolute or resolves outside 'root'; -2 with errno when it does not resolve. */
int suitetree_resolve(const char *root, const char *base, const char *rel, char **out, char **why);

#endif
