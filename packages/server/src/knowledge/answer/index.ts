export {
  type AnswerCandidate,
  type AnswerOptions,
  analyzeQuestion,
  answerQuestion,
  type FoundAnswer,
} from './answer-question.js';
export { type ConceptId, conceptLabel, conceptTerms, findConcepts } from './concept-lexicon.js';
export { amountsIn, splitSentences } from './sentences.js';
