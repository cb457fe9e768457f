import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SurveyPage } from './SurveyPage';
import { surveyApi } from './survey-api';
import './survey.css';

/** The token is the segment after /s/ (a JWT needs no decoding); an empty one shows as an unknown link. */
const token = window.location.pathname.replace(/^\/s\/?/, '').split('/')[0];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SurveyPage token={token} api={surveyApi(window.location.origin)} />
  </StrictMode>,
);
