/** Issue 17's monthly report email: last month's headline numbers on the 1st, once per tenant and month. */

export { monthlyEmailRoutes } from './monthly-email-routes.js';
export { dueMonth, MONTHLY_EMAIL_JOB, type MonthlyEmailJob, MonthlyReportEmails } from './monthly-email-service.js';
export { type MonthlyFigures, renderMonthlyEmail, weeklyBarChart } from './render-monthly-email.js';
