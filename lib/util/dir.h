/* Directory walking by descriptor, and a recursive removal that cannot be
 * redirected: it never follows a symbolic link, never enters another file
 * system, and only starts on the directory the caller inspected before. */
#ifndef DS_UTIL_DIR_H
#define DS_UTIL_DIR_H

#include <dirent.h>
#include <sys/types.h>

/* Lists the directory open at fd through a duplicate of it, so that
 * closedir() leaves the caller's descriptor open. */
int ds_opendir_fd(int fd, DIR **out);
/* The next entry other than "." and "..", or *e = NULL at the end. */
int ds_readdir(DIR *d, struct dirent **e);
/* Removes the directory `name` under parent_fd and everything in it. The
 * directory must still be the one identified by dev and ino; a symbolic
 * link is removed as a link, a mount point below it is an error. */
int ds_remove_tree_at(int parent_fd, const char *name, dev_t dev, ino_t ino);

#endif
