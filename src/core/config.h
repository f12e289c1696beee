/* The config file, $XDG_CONFIG_HOME/vmmanager/config: one setting a line,
 * '#' starts a comment. Today it lists hosts:
 *
 *   host NAME URI [readonly]
 *
 * NAME is what the screens call the host; URI goes to libvirt untouched. */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* Hosts managed at once, from -c or the config file, at the most: each
 * has two threads and two connections. */
#define CONFIG_MAX_HOSTS 32
/* A config file is a few lines; a bigger one is refused, not cut. */
#define CONFIG_MAX_BYTES (1024 * 1024)

struct host_conf {
	char name[64];
	char uri[512];
	bool readonly;
};

struct config {
	struct host_conf *hosts;
	size_t nhosts;
};

/* Parses the len bytes of text (a NUL among them is an error) into out
 * (free with config_free). Returns 0, or -1 with "NAME:LINE: what is
 * wrong" in err, NAME being the file's name for messages. */
int config_parse(const char *name, const char *text, size_t len, struct config *out, char *err, size_t errn);

/* Reads the file at path whole and parses it. A file that does not exist
 * lists no hosts (0). Returns -1 with "PATH: why" or "PATH:LINE: what is
 * wrong" in err when it cannot be read or understood. */
int config_load(const char *path, struct config *out, char *err, size_t errn);

void config_free(struct config *c);

/* Where the config file is: $XDG_CONFIG_HOME/vmmanager/config, else
 * $HOME/.config/vmmanager/config. Returns -1 when neither is set. */
int config_path(char *buf, size_t n);

#endif
