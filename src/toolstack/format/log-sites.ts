/**
 * libxl log sites of the cpupool, scheduler, affinity and guest-control commands, with
 * their Xen 4.20.0 line numbers (read from tools/libs/light/libxl_sched.c,
 * libxl_cpupool.c, libxl_dom.c, libxl_domain.c, libxl.c and libxl_psr.c at tag
 * RELEASE-4.20.0). Lines print through `libxlLine` (format/log.ts).
 */
import type { LogSite } from './log.js';

const at = (file: string, line: number, func: string): LogSite => ({ file, line, func });

/** Sites used by vcpu-pin, sched-*, cpupool-*, trigger, debug-keys, set-parameters and psr-*. */
export const MORE_SITES = {
  setAffinity: at('libxl_sched.c', 62, 'libxl__set_vcpuaffinity'),
  softUnreachable: at('libxl_sched.c', 84, 'libxl__set_vcpuaffinity'),
  setAffinityAll: at('libxl_sched.c', 124, 'libxl_set_vcpuaffinity_all'),
  creditDomInfo: at('libxl_sched.c', 224, 'sched_credit_domain_set'),
  creditDomGet: at('libxl_sched.c', 230, 'sched_credit_domain_set'),
  creditWeight: at('libxl_sched.c', 236, 'sched_credit_domain_set'),
  creditCap: at('libxl_sched.c', 246, 'sched_credit_domain_set'),
  ratelimit: at('libxl_sched.c', 268, 'sched_ratelimit_check'),
  creditParamsGet: at('libxl_sched.c', 285, 'libxl_sched_credit_params_get'),
  creditTslice: at('libxl_sched.c', 309, 'libxl_sched_credit_params_set'),
  creditRatelimitTslice: at('libxl_sched.c', 319, 'libxl_sched_credit_params_set'),
  creditMigrDelay: at('libxl_sched.c', 324, 'libxl_sched_credit_params_set'),
  credit2ParamsGet: at('libxl_sched.c', 360, 'libxl_sched_credit2_params_get'),
  credit2ParamsSet: at('libxl_sched.c', 387, 'libxl_sched_credit2_params_set'),
  credit2DomInfo: at('libxl_sched.c', 429, 'sched_credit2_domain_set'),
  credit2DomGet: at('libxl_sched.c', 435, 'sched_credit2_domain_set'),
  credit2Weight: at('libxl_sched.c', 441, 'sched_credit2_domain_set'),
  credit2Cap: at('libxl_sched.c', 451, 'sched_credit2_domain_set'),
  rtdsPeriod: at('libxl_sched.c', 473, 'sched_rtds_validate_params'),
  rtdsBudget: at('libxl_sched.c', 479, 'sched_rtds_validate_params'),
  rtdsBudgetPeriod: at('libxl_sched.c', 485, 'sched_rtds_validate_params'),
  rtdsVcpuGetInfo: at('libxl_sched.c', 506, 'sched_rtds_vcpu_get'),
  rtdsVcpuRange: at('libxl_sched.c', 520, 'sched_rtds_vcpu_get'),
  rtdsVcpuSetInfo: at('libxl_sched.c', 610, 'sched_rtds_vcpu_set'),
  rtdsVcpuSetAllInfo: at('libxl_sched.c', 671, 'sched_rtds_vcpu_set_all'),
  rtdsVcpuSetRange: at('libxl_sched.c', 623, 'sched_rtds_vcpu_set'),
  rtdsVcpuSet: at('libxl_sched.c', 649, 'sched_rtds_vcpu_set'),
  rtdsVcpuSetAll: at('libxl_sched.c', 701, 'sched_rtds_vcpu_set_all'),
  domParamsSetUnknown: at('libxl_sched.c', 794, 'libxl_domain_sched_params_set'),
  vcpuSetNotSupported: at('libxl_sched.c', 822, 'libxl_vcpu_sched_params_set'),
  vcpuSetAllNotSupported: at('libxl_sched.c', 857, 'libxl_vcpu_sched_params_set_all'),
  domParamsGetUnknown: at('libxl_sched.c', 901, 'libxl_domain_sched_params_get'),
  vcpuGetNotSupported: at('libxl_sched.c', 927, 'libxl_vcpu_sched_params_get'),
  vcpuGetAllNotSupported: at('libxl_sched.c', 960, 'libxl_vcpu_sched_params_get_all'),
  vcpuGetUnknown: at('libxl_sched.c', 934, 'libxl_vcpu_sched_params_get'),
  vcpuGetAllUnknown: at('libxl_sched.c', 967, 'libxl_vcpu_sched_params_get_all'),
  domainCpupool: at('libxl_dom.c', 76, 'libxl__domain_cpupool'),
  poolCreate: at('libxl_cpupool.c', 157, 'libxl_cpupool_create'),
  poolCreateCpu: at('libxl_cpupool.c', 167, 'libxl_cpupool_create'),
  poolCpuAdd: at('libxl_cpupool.c', 302, 'libxl_cpupool_cpuadd'),
  poolCpuRemove: at('libxl_cpupool.c', 365, 'libxl_cpupool_cpuremove'),
  poolMoveDomain: at('libxl_cpupool.c', 437, 'libxl_cpupool_movedomain'),
  vncviewer: at('libxl_console.c', 215, 'libxl_vncviewer_exec'),
  qmpConnect: at('libxl_qmp.c', 1334, 'qmp_ev_lock_aquired'),
  sendTrigger: at('libxl_domain.c', 2209, 'libxl_send_trigger'),
  s3resumeDone: at('libxl_domain.c', 2164, 'domain_s3_resume_done'),
  debugKeys: at('libxl.c', 609, 'libxl_send_debug_keys'),
  setParameters: at('libxl.c', 656, 'libxl_set_parameters'),
  psrLog: at('libxl_psr.c', 46, 'libxl__psr_log_err_msg'),
  psrCmt: at('libxl_psr.c', 71, 'libxl__psr_cmt_log_err_msg'),
  psrAlloc: at('libxl_psr.c', 123, 'libxl__psr_alloc_log_err_msg'),
} as const satisfies Record<string, LogSite>;
