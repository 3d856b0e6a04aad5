/*
 * symbols.h - the link names of everything non-static in shared/ and lib/
 *
 * SPDX-License-Identifier: MIT
 *
 * The code calls these functions by their short mr_ names.  The objects of
 * shared/ and lib/ end up in libmrelease.a as well as in the .so, and a
 * static library must not define globals outside the library's namespace:
 * so every short name is bound here, in one list, to mrelease__<name>.
 * tests/abi.sh fails on a global of libmrelease.a that is not mrelease_*.
 * A new non-static function of shared/ or lib/ gets its line here.
 */
#ifndef MRELEASE_SHARED_SYMBOLS_H
#define MRELEASE_SHARED_SYMBOLS_H

/* shared/util.c */
#define mr_now_ns		mrelease__now_ns
#define mr_read_at		mrelease__read_at
#define mr_online_cpus		mrelease__online_cpus
#define mr_sched_set		mrelease__sched_set
#define mr_write_at		mrelease__write_at
#define mr_proc_status		mrelease__proc_status
#define mr_proc_stat		mrelease__proc_stat
/* shared/procparse.c */
#define mr_parse_status		mrelease__parse_status
#define mr_parse_fdinfo_pid	mrelease__parse_fdinfo_pid
#define mr_parse_cgroup2_path	mrelease__parse_cgroup2_path
#define mr_parse_pids		mrelease__parse_pids
#define mr_parse_stat		mrelease__parse_stat
#define mr_parse_meminfo_available mrelease__parse_meminfo_available
#define mr_parse_cpulist_count mrelease__parse_cpulist_count
#define mr_parse_mountinfo_root	mrelease__parse_mountinfo_root
/* shared/cgroup.c */
#define mr_cg_is_v2		mrelease__cg_is_v2
#define mr_cg_read_pids		mrelease__cg_read_pids
#define mr_cg_walk		mrelease__cg_walk
#define mr_cg_populated		mrelease__cg_populated
#define mr_cg_wait_empty	mrelease__cg_wait_empty
/* lib/result.c */
#define mr_result_check		mrelease__result_check
#define mr_result_copy		mrelease__result_copy
#define mr_struct_check		mrelease__struct_check
/* lib/proc.c */
#define mr_pidref_from_pidfd	mrelease__pidref_from_pidfd
#define mr_pidref_pid		mrelease__pidref_pid
#define mr_pidref_alive		mrelease__pidref_alive
#define mr_pidfd_exited		mrelease__pidfd_exited
#define mr_pidref_proc_dir	mrelease__pidref_proc_dir
#define mr_proc_is_ours		mrelease__proc_is_ours
#define mr_read_rss		mrelease__read_rss
/* lib/kill.c */
#define mr_signal		mrelease__signal
#define mr_reap			mrelease__reap
#define mr_reap_one		mrelease__reap_one
#define mr_hasten_exit		mrelease__hasten_exit
#define mr_kill_pidref		mrelease__kill_pidref
#define mr_default_threads	mrelease__default_threads
/* lib/thread.c */
#define mr_attr_from		mrelease__attr_from
#define mr_attr_copy		mrelease__attr_copy
#define mr_attr_free		mrelease__attr_free
#define mr_attr_sets_thread	mrelease__attr_sets_thread
#define mr_thread_start		mrelease__thread_start
#define mr_threads_stop		mrelease__threads_stop
/* lib/cgroupfs.c */
#define mr_cgroup_open		mrelease__cgroup_open
#define mr_cgroup_freeze	mrelease__cgroup_freeze
/* lib/cgroup.c */
#define mr_cgroup_kill		mrelease__cgroup_kill
/* lib/cgroup-table.c */
#define mr_cgk_seen_get		mrelease__cgk_seen_get
#define mr_cgk_cmp_pid		mrelease__cgk_cmp_pid
#define mr_cgk_sort_unique	mrelease__cgk_sort_unique
#define mr_cgk_seen_merge	mrelease__cgk_seen_merge
#define mr_cgk_list_pids	mrelease__cgk_list_pids
#define mr_cgk_census		mrelease__cgk_census
#define mr_cgk_tally		mrelease__cgk_tally
#define mr_cgk_wait_empty	mrelease__cgk_wait_empty
#define mr_cgk_sweep		mrelease__cgk_sweep
#define mr_cgk_settle_final	mrelease__cgk_settle_final
#define mr_cgk_settle_survivors	mrelease__cgk_settle_survivors
/* lib/cgroup-batch.c */
#define mr_cgk_pool_new		mrelease__cgk_pool_new
#define mr_cgk_pool_free	mrelease__cgk_pool_free
#define mr_cgk_reserve_take	mrelease__cgk_reserve_take
#define mr_cgk_reserve_drop	mrelease__cgk_reserve_drop
#define mr_cgk_kill_dir		mrelease__cgk_kill_dir
/* test builds only (lib/libmrelease-test.la, -DMRELEASE_TESTING) */
#define mr_test_cgroup_pids	mrelease__test_cgroup_pids
#define mr_test_reaper_job	mrelease__test_reaper_job
#define mr_test_thread_start	mrelease__test_thread_start

#endif /* MRELEASE_SHARED_SYMBOLS_H */
