export { SmsPanelFrameElement } from "./sms-panel.js";
