/** The insights report (issue 17): channels, questions, booking times, funnel, follow-ups and prompt variants. */
export { clusterQuestions } from './cluster-questions.js';
export { clusterByEmbeddings, type QuestionEmbedder } from './embed-clusters.js';
export { insightsRoutes } from './insights-routes.js';
export { InsightsService } from './insights-service.js';
export { wilsonInterval } from './wilson.js';
