"""The real program under a pseudo-terminal, and a small terminal emulator
that keeps the screen it draws, for bench/bench.py.

Screen understands what ncurses sends for TERM=xterm-256color: cursor
motion, erasing, insert/delete of characters and lines, scroll regions,
REP, the DEC line-drawing set, UTF-8.  Attributes and colours are ignored:
the benchmark reads text and counts bytes.
"""
import codecs
import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time

DEC_GRAPHICS = dict(zip("`afgjklmnopqrstuvwxyz{|}~",
                        "◆▒°±┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·"))


class Screen:
    def __init__(self, rows, cols):
        self.resize(rows, cols)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.state = None  # None, "esc", "csi", "osc", "charset"
        self.seq = ""

    def resize(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.y = self.x = 0
        self.top, self.bottom = 0, rows - 1
        self.wrap = False
        self.g0_graphics = False
        self.last = " "
        self.saved = (0, 0)
        self.touched = set()  # rows written or erased since the last clear

    def text(self):
        return ["".join(r).rstrip() for r in self.grid]

    def dump(self):
        return "\n".join(self.text())

    # -- output ------------------------------------------------------------

    def feed(self, data):
        for ch in self.decoder.decode(data):
            self._char(ch)

    def _char(self, ch):
        st = self.state
        if st is None:
            if ch == "\x1b":
                self.state, self.seq = "esc", ""
            elif ch >= " " and ch != "\x7f":
                self._put(ch)
            else:
                self._control(ch)
        elif st == "esc":
            self._escape(ch)
        elif st == "csi":
            if "\x40" <= ch <= "\x7e":
                self.state = None
                self._csi(self.seq, ch)
            elif ch == "\x1b":
                self.state, self.seq = "esc", ""
            else:
                self.seq += ch
        elif st == "osc":
            if ch == "\x07":
                self.state = None
            elif ch == "\x1b":
                self.state = "osc-esc"
        elif st == "osc-esc":
            self.state = None  # ESC \ ends it
        elif st == "charset":
            if self.seq == "(":
                self.g0_graphics = ch == "0"
            self.state = None

    def _control(self, ch):
        if ch == "\r":
            self.x, self.wrap = 0, False
        elif ch in "\n\x0b\x0c":
            self._index()
        elif ch == "\b":
            if self.x > 0:
                self.x -= 1
            self.wrap = False
        elif ch == "\t":
            self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
            self.wrap = False

    def _escape(self, ch):
        self.state = None
        if ch == "[":
            self.state, self.seq = "csi", ""
        elif ch == "]":
            self.state = "osc"
        elif ch in "()*+":
            self.state, self.seq = "charset", ch
        elif ch == "M":
            self._reverse_index()
        elif ch == "D":
            self._index()
        elif ch == "E":
            self.x = 0
            self._index()
        elif ch == "7":
            self.saved = (self.y, self.x)
        elif ch == "8":
            self.y, self.x = self.saved
            self.wrap = False
        elif ch == "c":
            self.resize(self.rows, self.cols)

    def _put(self, ch):
        if self.g0_graphics:
            ch = DEC_GRAPHICS.get(ch, ch)
        if self.wrap:
            self.x = 0
            self._index()
            self.wrap = False
        self.grid[self.y][self.x] = ch
        self.touched.add(self.y)
        self.last = ch
        if self.x == self.cols - 1:
            self.wrap = True
        else:
            self.x += 1

    def _index(self):
        if self.y == self.bottom:
            self._scroll_up(self.top, self.bottom, 1)
        elif self.y < self.rows - 1:
            self.y += 1

    def _reverse_index(self):
        if self.y == self.top:
            self._scroll_down(self.top, self.bottom, 1)
        elif self.y > 0:
            self.y -= 1

    def _scroll_up(self, top, bottom, n):
        self.touched.update(range(top, bottom + 1))
        for _ in range(n):
            del self.grid[top]
            self.grid.insert(bottom, [" "] * self.cols)

    def _scroll_down(self, top, bottom, n):
        self.touched.update(range(top, bottom + 1))
        for _ in range(n):
            del self.grid[bottom]
            self.grid.insert(top, [" "] * self.cols)

    def _csi(self, seq, final):
        private = seq[:1] in ("?", ">", "=", "<")
        if private:
            seq = seq[1:]
        try:
            args = [int(p) if p else 0 for p in seq.split(";")] if seq else []
        except ValueError:
            return
        if private:
            return  # modes: keypad, cursor, alternate screen
        a0 = args[0] if args else 0
        n = max(1, a0)
        row = self.grid[self.y]
        if final in "KX@P":
            self.touched.add(self.y)
        elif final == "J":
            self.touched.update(range(self.y, self.rows) if a0 == 0 else
                                range(0, self.y + 1) if a0 == 1 else range(self.rows))
        if final in "Hf":
            self.y = min(self.rows - 1, max(1, a0) - 1)
            self.x = min(self.cols - 1, max(1, args[1] if len(args) > 1 else 1) - 1)
        elif final == "A":
            self.y = max(0, self.y - n)
        elif final in "Be":
            self.y = min(self.rows - 1, self.y + n)
        elif final in "Ca":
            self.x = min(self.cols - 1, self.x + n)
        elif final == "D":
            self.x = max(0, self.x - n)
        elif final == "E":
            self.y, self.x = min(self.rows - 1, self.y + n), 0
        elif final == "F":
            self.y, self.x = max(0, self.y - n), 0
        elif final in "G`":
            self.x = min(self.cols - 1, n - 1)
        elif final == "d":
            self.y = min(self.rows - 1, n - 1)
        elif final == "J":
            if a0 == 0:
                row[self.x:] = [" "] * (self.cols - self.x)
                for r in self.grid[self.y + 1:]:
                    r[:] = [" "] * self.cols
            elif a0 == 1:
                row[:self.x + 1] = [" "] * (self.x + 1)
                for r in self.grid[:self.y]:
                    r[:] = [" "] * self.cols
            else:
                for r in self.grid:
                    r[:] = [" "] * self.cols
        elif final == "K":
            if a0 == 0:
                row[self.x:] = [" "] * (self.cols - self.x)
            elif a0 == 1:
                row[:self.x + 1] = [" "] * (self.x + 1)
            else:
                row[:] = [" "] * self.cols
        elif final == "X":
            end = min(self.cols, self.x + n)
            row[self.x:end] = [" "] * (end - self.x)
        elif final == "@":
            n = min(n, self.cols - self.x)
            row[self.x:self.x] = [" "] * n
            del row[self.cols:]
        elif final == "P":
            n = min(n, self.cols - self.x)
            del row[self.x:self.x + n]
            row.extend([" "] * n)
        elif final == "L":
            if self.top <= self.y <= self.bottom:
                self._scroll_down(self.y, self.bottom, min(n, self.bottom - self.y + 1))
        elif final == "M":
            if self.top <= self.y <= self.bottom:
                self._scroll_up(self.y, self.bottom, min(n, self.bottom - self.y + 1))
        elif final == "S":
            self._scroll_up(self.top, self.bottom, n)
        elif final == "T":
            self._scroll_down(self.top, self.bottom, n)
        elif final == "r":
            top = max(1, a0) - 1
            bottom = (args[1] if len(args) > 1 and args[1] else self.rows) - 1
            if top < bottom < self.rows:
                self.top, self.bottom = top, bottom
            self.y = self.x = 0
        elif final == "b":
            for _ in range(n):
                self._put(self.last)
            return
        elif final == "s":
            self.saved = (self.y, self.x)
        elif final == "u":
            self.y, self.x = self.saved
        else:
            return  # m (attributes), t (window ops), n, c, h, l, ...
        self.wrap = False


class Pty:
    """A program running on a pseudo-terminal of ROWS x COLS."""

    def __init__(self, argv, rows=24, cols=80, env=None):
        self.master, slave = os.openpty()
        self._winsize(slave, rows, cols)
        self.screen = Screen(rows, cols)
        self.t_start = time.monotonic()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env,
            start_new_session=True, close_fds=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        os.set_blocking(self.master, False)
        self.nbytes = 0          # everything read so far
        self.t_first = None      # when the first byte came
        self.t_last = None       # when the last byte came

    @staticmethod
    def _winsize(fd, rows, cols):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    @property
    def pid(self):
        return self.proc.pid

    def _read_once(self, timeout):
        """Reads what is there within TIMEOUT s; returns the byte count."""
        r, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not r:
            return 0
        try:
            data = os.read(self.master, 65536)
        except (BlockingIOError, InterruptedError):
            return 0
        except OSError:
            raise EOFError("the program closed its terminal")
        if not data:
            raise EOFError("the program closed its terminal")
        now = time.monotonic()
        if self.t_first is None:
            self.t_first = now
        self.t_last = now
        self.nbytes += len(data)
        self.screen.feed(data)
        return len(data)

    def wait_for(self, pred, timeout):
        """Reads until pred(screen) holds; returns the time of the read
        that made it hold, or None after TIMEOUT s."""
        end = time.monotonic() + timeout
        if pred(self.screen):
            return self.t_last or time.monotonic()
        while time.monotonic() < end:
            if self._read_once(min(0.05, end - time.monotonic())) and pred(self.screen):
                return self.t_last
        return None

    def settle(self, quiet=0.3, timeout=30.0):
        """Reads until nothing came for QUIET s; returns the bytes read."""
        n = 0
        end = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < end:
            got = self._read_once(min(quiet, end - time.monotonic()))
            n += got
            if got:
                last = time.monotonic()
            elif time.monotonic() - last >= quiet:
                break
        return n

    def read_for(self, seconds):
        """Reads whatever comes for SECONDS s; returns the bytes read."""
        n = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            n += self._read_once(min(0.5, end - time.monotonic()))
        return n

    def key(self, data, quiet=0.3, timeout=30.0):
        """Sends DATA and reads until nothing came for QUIET s; returns
        (bytes written to the terminal, rows written or erased, seconds from
        the key to the last byte)."""
        self.settle(0.05, 1.0)
        self.screen.touched.clear()
        t0 = time.monotonic()
        self.t_last = None
        os.write(self.master, data)
        n = self.settle(quiet, timeout)
        took = (self.t_last - t0) if self.t_last is not None else 0.0
        return n, len(self.screen.touched), took

    def resize(self, rows, cols, quiet=0.3):
        """Resizes the terminal (the kernel sends SIGWINCH) and reads until
        it settles; returns (bytes, rows written or erased)."""
        self.settle(0.05, 1.0)
        self.screen.resize(rows, cols)
        self._winsize(self.master, rows, cols)
        n = self.settle(quiet)
        return n, len(self.screen.touched)

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.close(self.master)
