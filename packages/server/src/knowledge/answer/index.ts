export {
  type AnswerCandidate,
  type AnswerOptions,
  analyzeQuestion,
  answerQuestion,
  type FoundAnswer,
} from './answer-question.js';
export { conceptLabel, conceptRole, conceptTerms, findConcepts } from './concept-labels.js';
export { amountsIn, splitSentences } from './sentences.js';
