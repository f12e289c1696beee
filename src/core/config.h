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

struct host_conf {
	char name[64];
	char uri[512];
	bool readonly;
};

struct config {
	struct host_conf *hosts;
	size_t nhosts;
};

/* Parses text into out (free with config_free). Returns 0, or -1 with
 * "line N: what is wrong" in err. */
int config_parse(const char *text, struct config *out, char *err, size_t errn);
void config_free(struct config *c);

/* Where the config file is: $XDG_CONFIG_HOME/vmmanager/config, else
 * $HOME/.config/vmmanager/config. Returns -1 when neither is set. */
int config_path(char *buf, size_t n);

#endif
