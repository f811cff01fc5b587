export { type ConceptId, conceptLabel, conceptTerms, findConcepts } from './concept-lexicon.js';
export {
  type AnswerCandidate,
  type AnswerOptions,
  analyzeQuestion,
  answerQuestion,
  type FoundAnswer,
} from './answer-question.js';
export { amountsIn, splitSentences } from './sentences.js';
