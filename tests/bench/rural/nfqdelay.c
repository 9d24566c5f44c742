// Holds every packet of one NFQUEUE for a delay ± jitter (uniform) and releases them in arrival order: the delay of a
// rural link, where this kernel has no netem. Built by tests/bench/rural/link.ts; run inside the link's namespace.
// Usage: nfqdelay QUEUE DELAY_MS JITTER_MS   (prints "ready" once bound; SIGTERM ends it)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnfnetlink/libnfnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RING 65536

static struct { uint32_t id; double release; } held[RING];
static unsigned head = 0, tail = 0;
static double delay_ms, jitter_ms, last_release = 0;
static volatile sig_atomic_t stop = 0;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg;
  (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  uint32_t id = ntohl(ph->packet_id);
  if (tail - head >= RING) return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);  // queue full: the link drops it
  double r = now_ms() + delay_ms + ((double)rand() / RAND_MAX * 2 - 1) * jitter_ms;
  if (r < last_release) r = last_release;  // in order: never overtake the packet before
  last_release = r;
  held[tail % RING].id = id;
  held[tail % RING].release = r;
  tail++;
  return 0;
}

static void on_signal(int s) {
  (void)s;
  stop = 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s QUEUE DELAY_MS JITTER_MS\n", argv[0]);
    return 2;
  }
  int queue = atoi(argv[1]);
  delay_ms = atof(argv[2]);
  jitter_ms = atof(argv[3]);
  srand((unsigned)time(NULL) ^ (unsigned)queue);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  struct nfq_q_handle *qh = nfq_create_queue(h, queue, &on_packet, NULL);
  if (!qh) { perror("nfq_create_queue"); return 1; }
  if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) { perror("nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(qh, RING);
  nfnl_rcvbufsiz(nfq_nfnlh(h), 8 * 1024 * 1024);
  int fd = nfq_fd(h);
  printf("ready\n");
  fflush(stdout);
  char buf[65536];
  while (!stop) {
    double now = now_ms();
    while (head != tail && held[head % RING].release <= now) {
      nfq_set_verdict(qh, held[head % RING].id, NF_ACCEPT, 0, NULL);
      head++;
    }
    struct timespec wait = {1, 0};
    if (head != tail) {
      double ms = held[head % RING].release - now;
      if (ms < 0) ms = 0;
      wait.tv_sec = (time_t)(ms / 1000);
      wait.tv_nsec = (long)((ms - wait.tv_sec * 1000) * 1e6);
    }
    struct pollfd p = {fd, POLLIN, 0};
    int r = ppoll(&p, 1, &wait, NULL);
    if (r > 0 && (p.revents & POLLIN)) {
      for (;;) {
        int n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) {
          if (errno == ENOBUFS) continue;  // the kernel dropped notices under load: keep going
          break;
        }
        nfq_handle_packet(h, buf, n);
      }
    }
  }
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
