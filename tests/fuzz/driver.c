/* A stand-alone driver for the fuzz targets, for machines without clang's
 * libFuzzer: replays every input of the corpus directories given, then
 * mutates them at random (no coverage guidance) until the time is up.
 * Built with the sanitizers; when a check, a sanitizer or a signal ends
 * the run, the input that did it is written to the crash folder first.
 *
 *   fuzz_NAME [-t SECONDS] [-o CRASHDIR] [-s SEED] DIR|FILE...
 *
 * With only files and no -t, it just replays them: that is how a crash
 * found here or by libFuzzer is reproduced. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shared/util.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MAX 8192

/* The sanitizers call this before they end the process. */
void __sanitizer_set_death_callback(void (*callback)(void));

struct input {
	unsigned char *data;
	size_t size;
};

static struct input *corpus;
static size_t ncorpus;
static const unsigned char *cur; /* the input being run */
static size_t cur_size;
static const char *crash_dir = "build/fuzz/crashes", *prog = "fuzz";

/* Writes the running input where the crash folder says, once. Only
 * async-signal-safe calls: it also runs from signal handlers. */
static void save_input(void)
{
	static volatile sig_atomic_t saved;
	char path[1024];
	unsigned long h = 5381;
	size_t i, n = 0;
	int fd;

	if (saved || !cur)
		return;
	saved = 1;
	for (i = 0; i < cur_size; i++)
		h = h * 33 + cur[i];
	/* path = crash_dir/prog-crash-HASH, by hand: snprintf is not safe here */
	for (i = 0; crash_dir[i] && n < 900; i++)
		path[n++] = crash_dir[i];
	path[n++] = '/';
	for (i = 0; prog[i] && n < 990; i++)
		path[n++] = prog[i];
	memcpy(path + n, "-crash-", 7);
	n += 7;
	for (i = 0; i < 16; i++)
		path[n++] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 15];
	path[n] = '\0';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, cur, cur_size) < 0 || close(fd) < 0)
			fd = -1;
		if (write(2, "fuzz: input saved to ", 21) < 0 || write(2, path, n) < 0 || write(2, "\n", 1) < 0)
			fd = -1;
	}
}

static void on_signal(int sig)
{
	save_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run(const unsigned char *data, size_t size)
{
	cur = data;
	cur_size = size;
	alarm(10); /* an input that hangs is a crash too */
	LLVMFuzzerTestOneInput(data, size);
	alarm(0);
	cur = NULL;
}

static void add_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct input in;

	if (!f) {
		perror(path);
		exit(2);
	}
	in.data = xmalloc(FUZZ_MAX);
	in.size = fread(in.data, 1, FUZZ_MAX, f);
	fclose(f);
	corpus = xrealloc(corpus, (ncorpus + 1) * sizeof(*corpus));
	corpus[ncorpus++] = in;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of dir, in name order so that runs repeat. */
static void add_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, i;

	if (!d) {
		perror(dir);
		exit(2);
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		add_file(path);
		free(names[i]);
	}
	free(names);
}

/* Pieces that parsers care about, for the mutator to drop in. */
static const char *const tokens[] = {
	"<", ">", "</", "/>", "='", "\"", "&amp;", "&#", "&#x", ";", "<![CDATA[", "]]>", "<!--", "-->",
	"<?xml version='1.0'?>", "<!DOCTYPE a [<!ENTITY e 'x'>]>", "&e;", "<disk device='disk'>",
	"<source file='", "<backingStore>", "<mirror>", "<target dev='vda'/>", "<name>", "<description>",
	"<domain>", "<disks>", "snapshot='external'", "\xc3\xa9", "\xe2\x80\xae", "\xef\xbb\xbf", "\xf0\x9f\x98\x80",
	"\xff", "\xc0\x80", "\x1b[", "\\", "\t", "\r\n", "\n", " ", "#", "host ", " readonly", "qemu:///system",
	"\xe4\xb8\xad", "\xcc\x81", "",
};

static size_t rnd(size_t n)
{
	return n ? (size_t)rand() % n : 0;
}

/* One to four random edits of buf (size bytes, room for FUZZ_MAX). */
static size_t mutate(unsigned char *buf, size_t size)
{
	int edits = 1 + (int)rnd(4);

	while (edits--) {
		size_t at = rnd(size + 1), len;
		const struct input *other;
		const char *t;

		switch (rnd(7)) {
		case 0: /* flip a bit */
			if (size)
				buf[rnd(size)] ^= (unsigned char)(1u << rnd(8));
			break;
		case 1: /* a random byte */
			if (size)
				buf[rnd(size)] = (unsigned char)rnd(256);
			break;
		case 2: /* insert a byte */
			if (size < FUZZ_MAX) {
				memmove(buf + at + 1, buf + at, size - at);
				buf[at] = (unsigned char)rnd(256);
				size++;
			}
			break;
		case 3: /* delete a run */
			if (at < size) {
				len = rnd(size - at + 1);
				memmove(buf + at, buf + at + len, size - at - len);
				size -= len;
			}
			break;
		case 4: /* repeat a run */
			if (at < size) {
				len = 1 + rnd(size - at < 64 ? size - at : 64);
				if (size + len <= FUZZ_MAX) {
					memmove(buf + at + len, buf + at, size - at);
					size += len;
				}
			}
			break;
		case 5: /* a token */
			t = tokens[rnd(ARRAY_LEN(tokens))];
			len = strlen(t) + (t[0] == '\0'); /* "" stands for a NUL byte */
			if (size + len <= FUZZ_MAX) {
				memmove(buf + at + len, buf + at, size - at);
				memcpy(buf + at, t, len);
				size += len;
			}
			break;
		default: /* splice in a piece of another input */
			other = &corpus[rnd(ncorpus)];
			len = rnd(other->size + 1);
			if (len && size + len <= FUZZ_MAX) {
				size_t from = rnd(other->size - len + 1);

				memmove(buf + at + len, buf + at, size - at);
				memcpy(buf + at, other->data + from, len);
				size += len;
			}
		}
	}
	return size;
}

int main(int argc, char **argv)
{
	double seconds = 0;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	unsigned char *buf = xmalloc(FUZZ_MAX);
	unsigned long runs = 0;
	struct timespec start, now;
	struct stat st;
	size_t i;
	int opt;

	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	while ((opt = getopt(argc, argv, "t:o:s:")) != -1) {
		if (opt == 't')
			seconds = atof(optarg);
		else if (opt == 'o')
			crash_dir = optarg;
		else if (opt == 's')
			seed = (unsigned)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			add_dir(argv[i]);
		else
			add_file(argv[i]);
	}
	if (!ncorpus) {
		fprintf(stderr, "usage: %s [-t SECONDS] [-o CRASHDIR] [-s SEED] DIR|FILE...\n", prog);
		return 2;
	}
	mkdir(crash_dir, 0755);
	__sanitizer_set_death_callback(save_input);
	/* The sanitizers handle SIGSEGV and the like themselves. */
	signal(SIGABRT, on_signal);
	signal(SIGALRM, on_signal);
	for (i = 0; i < ncorpus; i++)
		run(corpus[i].data, corpus[i].size);
	srand(seed);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (now = start; seconds > 0; runs++) {
		const struct input *in = &corpus[rnd(ncorpus)];
		size_t size;

		if ((runs & 63) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= seconds)
				break;
		}
		memcpy(buf, in->data, in->size);
		size = mutate(buf, in->size);
		run(buf, size);
	}
	printf("%s: %zu inputs replayed, %lu mutated (seed %u), no crash\n", prog, ncorpus, runs, seed);
	for (i = 0; i < ncorpus; i++)
		free(corpus[i].data);
	free(corpus);
	free(buf);
	return 0;
}
