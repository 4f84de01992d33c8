/**
 * The system dashboard: Switchboard views over the telemetry monitor (memory and event-loop
 * charts, joined views, busiest views, pub/sub topics, supervision trees, crashes, slow
 * consumers). The server mounts it with `live.dashboard()`.
 */
export { createSystemView, systemPage } from './system-view.ts'
export { DASHBOARD_STYLE } from './style.ts'
